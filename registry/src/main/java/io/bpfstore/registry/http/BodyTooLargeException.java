package io.bpfstore.registry.http;

/** A request body exceeded the limit its handler accepts. */
public final class BodyTooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param limit the limit in bytes */
    public BodyTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes");
    }
}
