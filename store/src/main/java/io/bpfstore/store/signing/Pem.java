package io.bpfstore.store.signing;

import java.util.Base64;

/**
 * One PEM block (RFC 7468): a label and the DER bytes between {@code -----BEGIN label-----} and
 * {@code -----END label-----}.
 *
 * @param label the block's label, e.g. {@code PUBLIC KEY}
 * @param der   the decoded content
 */
public record Pem(String label, byte[] der) {
    /** Largest PEM text accepted; real EC keys are a few hundred bytes. */
    public static final int MAX_TEXT = 64 * 1024;

    /** Copies the bytes. */
    public Pem {
        der = der.clone();
    }

    /** The DER bytes (a copy). */
    @Override
    public byte[] der() {
        return der.clone();
    }

    /**
     * Parses the first PEM block in {@code text}; {@code where} names the source in errors. Text before the
     * block (comments, as openssl may write) is ignored.
     */
    public static Pem parse(String text, String where) {
        if (text.length() > MAX_TEXT) {
            throw new KeyException(where, "larger than " + MAX_TEXT + " characters: not a key file");
        }
        int begin = text.indexOf("-----BEGIN ");
        if (begin < 0) {
            throw new KeyException(where, "no \"-----BEGIN ...-----\" line: not a PEM file");
        }
        int labelEnd = text.indexOf("-----", begin + 11);
        if (labelEnd < 0) {
            throw new KeyException(where, "unterminated BEGIN line");
        }
        String label = text.substring(begin + 11, labelEnd);
        String endLine = "-----END " + label + "-----";
        int end = text.indexOf(endLine, labelEnd + 5);
        if (end < 0) {
            throw new KeyException(where, "no \"" + endLine + "\" line");
        }
        String body = text.substring(labelEnd + 5, end);
        if (body.contains(":")) {
            throw new KeyException(where, "PEM headers (" + label + " with Proc-Type/DEK-Info) are not supported: "
                    + "encrypted legacy keys cannot be read");
        }
        try {
            byte[] der = Base64.getDecoder().decode(body.replaceAll("\\s", "")); // strict: the MIME decoder skips junk
            if (der.length == 0) {
                throw new KeyException(where, "empty " + label + " block");
            }
            return new Pem(label, der);
        } catch (IllegalArgumentException e) {
            throw new KeyException(where, label + " block is not valid base64: " + e.getMessage());
        }
    }

    /** The block as text, base64 wrapped at 64 columns as RFC 7468 asks. */
    public String text() {
        String b64 = Base64.getEncoder().encodeToString(der);
        StringBuilder out = new StringBuilder("-----BEGIN ").append(label).append("-----\n");
        for (int i = 0; i < b64.length(); i += 64) {
            out.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
        }
        return out.append("-----END ").append(label).append("-----\n").toString();
    }
}
