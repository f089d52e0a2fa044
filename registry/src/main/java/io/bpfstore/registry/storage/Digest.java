package io.bpfstore.registry.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A {@code sha256:<64 lowercase hex>} content digest, the only algorithm this registry accepts (the spec's
 * registered algorithms are sha256 and sha512; every client in use sends sha256).
 *
 * @param hex the 64 lowercase hexadecimal digits
 */
public record Digest(String hex) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    /** Validates the hex digits. */
    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a sha256 digest: " + hex);
        }
    }

    /** Parses {@code sha256:<hex>}; throws {@link IllegalArgumentException} naming the bad text otherwise. */
    public static Digest parse(String text) {
        if (text == null || !text.startsWith("sha256:")) {
            throw new IllegalArgumentException("unsupported or malformed digest: " + text);
        }
        return new Digest(text.substring("sha256:".length()));
    }

    /** True if {@code text} is a well-formed sha256 digest. */
    public static boolean isValid(String text) {
        return text != null && text.startsWith("sha256:") && HEX.matcher(text.substring(7)).matches();
    }

    /** The digest of {@code bytes}. */
    public static Digest of(byte[] bytes) {
        return fromHasher(hasher().digest(bytes));
    }

    /** A fresh SHA-256 hasher. */
    public static MessageDigest hasher() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** Wraps the 32 bytes a finished SHA-256 hasher returned. */
    public static Digest fromHasher(byte[] sha256) {
        return new Digest(HexFormat.of().formatHex(sha256));
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
