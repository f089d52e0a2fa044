package io.bpfstore.store.signing;

import io.bpfstore.bytecode.Reportable;

/** A key file that cannot be used: not PEM, the wrong PEM block, not ECDSA P-256, or unreadable. */
public final class KeyException extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;

    /** The key at {@code where} (a file name or "key") is unusable because of {@code problem}. */
    public KeyException(String where, String problem) {
        super(where + ": " + problem);
    }

    /** As above, with the underlying cause. */
    public KeyException(String where, String problem, Throwable cause) {
        super(where + ": " + problem, cause);
    }

    /** The first line, marked as bad key for the user. */
    @Override
    public String userMessage() {
        return "bad key: " + Reportable.super.userMessage();
    }
}
