package io.bpfstore.store.image;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An OCI content digest. Only {@code sha256} is accepted: it is what every registry and tool produces, and
 * accepting algorithms we cannot check would let unverified content through.
 *
 * @param hex 64 lower-case hex digits
 */
public record Digest(String hex) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    /** Checks the form. */
    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new InvalidImageException("digest", "\"" + hex + "\" is not 64 lower-case hex digits");
        }
    }

    /** Parses {@code sha256:<64 hex>}. */
    public static Digest parse(String text) {
        if (text == null || !text.startsWith("sha256:")) {
            throw new InvalidImageException("digest", "\"" + text + "\" is not a sha256 digest (sha256:<64 hex>)");
        }
        return new Digest(text.substring("sha256:".length()));
    }

    /** Whether {@code text} is a digest this type accepts. */
    public static boolean isDigest(String text) {
        return text != null && text.startsWith("sha256:") && HEX.matcher(text.substring(7)).matches();
    }

    /** The digest of {@code bytes}. */
    public static Digest of(byte[] bytes) {
        return new Digest(HexFormat.of().formatHex(sha256().digest(bytes)));
    }

    /** The digest of everything {@code in} yields. */
    public static Digest of(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            md.update(buffer, 0, n);
        }
        return new Digest(HexFormat.of().formatHex(md.digest()));
    }

    /** The digest whose 32 bytes a finished {@link #sha256()} hasher returned. */
    public static Digest fromSha256(byte[] sha256) {
        return new Digest(HexFormat.of().formatHex(sha256));
    }

    /** A fresh SHA-256 hasher. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** Throws {@link DigestMismatchException} unless {@code bytes} are the content this digest names. */
    public void verify(String what, byte[] bytes, long expectedSize) {
        if (bytes.length != expectedSize) {
            throw new DigestMismatchException(what, this, "size is " + bytes.length + " bytes, the descriptor says "
                    + expectedSize);
        }
        Digest actual = of(bytes);
        if (!actual.equals(this)) {
            throw new DigestMismatchException(what, this, "content hashes to " + actual);
        }
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
