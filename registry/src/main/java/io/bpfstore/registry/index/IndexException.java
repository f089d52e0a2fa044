package io.bpfstore.registry.index;

/** An origin cannot be indexed (unreachable, refusing us, or its answer malformed); the message says which. */
public final class IndexException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the origin */
    public IndexException(String message) {
        super(message);
    }

    /** @param message what failed, naming the origin @param cause the underlying failure */
    public IndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
