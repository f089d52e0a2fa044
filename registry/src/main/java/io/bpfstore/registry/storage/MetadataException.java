package io.bpfstore.registry.storage;

/** The metadata store failed (database unreachable, corrupt, ...); not the client's fault. */
public class MetadataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was being done @param cause the database's error */
    public MetadataException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    /** @param message what went wrong */
    public MetadataException(String message) {
        super(message);
    }
}
