package io.bpfstore.registry.storage;

import java.io.IOException;

/**
 * The blob store cannot be reached or answered with a failure of its own (a remote registry down, refusing our
 * credentials, answering 5xx). The request fails with 503 and nothing is recorded.
 */
public final class BlobStoreUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the store @param cause the transport failure, or null */
    public BlobStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
