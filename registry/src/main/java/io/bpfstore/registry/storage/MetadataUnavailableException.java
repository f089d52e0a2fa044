package io.bpfstore.registry.storage;

/**
 * The metadata store cannot be reached right now (database down, connection lost, pool exhausted): the request
 * may succeed if retried, so the server answers 503 rather than 500. Nothing was written.
 */
public final class MetadataUnavailableException extends MetadataException {
    private static final long serialVersionUID = 1L;

    /** @param message what was being done @param cause the driver's error */
    public MetadataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
