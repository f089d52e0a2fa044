package io.bpfstore.store.signing;

import io.bpfstore.bytecode.Reportable;

/**
 * A package's signature was checked and refused; {@link #reason()} says which way it failed, the message says
 * what was found.
 */
public final class VerificationException extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;

    /** Why verification refused, most specific first when several signatures fail differently. */
    public enum Reason {
        /** A signature verifies but its payload names another manifest digest. */
        WRONG_DIGEST,
        /** A signature verifies but its payload names another repository. */
        WRONG_REPOSITORY,
        /** The signature was made by a key that is not trusted (known from the signer hint, which is unsigned). */
        UNTRUSTED_KEY,
        /** No trusted key verifies the signature over the payload (tampered payload or signature). */
        BAD_SIGNATURE,
        /** The signature manifest exists but holds no usable cosign signature layer. */
        MALFORMED,
        /** There is no signature manifest for the image. */
        UNSIGNED
    }

    private final Reason reason;

    /** Verification of {@code subject} refused for {@code reason}; {@code detail} says what was found. */
    public VerificationException(String subject, Reason reason, String detail) {
        super(subject + ": " + describe(reason) + " — " + detail);
        this.reason = reason;
    }

    /** Why verification refused. */
    public Reason reason() {
        return reason;
    }

    /** A short human phrase for a reason. */
    public static String describe(Reason reason) {
        return switch (reason) {
            case WRONG_DIGEST -> "the signed payload names another manifest digest";
            case WRONG_REPOSITORY -> "the signed payload names another repository";
            case UNTRUSTED_KEY -> "signed by an untrusted key";
            case BAD_SIGNATURE -> "signature does not verify";
            case MALFORMED -> "signature manifest is malformed";
            case UNSIGNED -> "unsigned";
        };
    }

    /** The first line, marked as refused for the user. */
    @Override
    public String userMessage() {
        return "refused: " + Reportable.super.userMessage();
    }
}
