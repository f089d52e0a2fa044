package io.bpfstore.store.client;

import java.util.Optional;

/**
 * How to upload blobs.
 *
 * @param chunkSize  0 for one monolithic PUT per blob; otherwise the PATCH chunk size in bytes
 * @param mountFrom  a repository on the same registry that already holds the blobs; they are mounted from it
 *                   instead of uploaded when the registry allows
 */
public record PushOptions(long chunkSize, Optional<String> mountFrom) {
    /** Monolithic uploads, no mount. */
    public static final PushOptions DEFAULT = new PushOptions(0, Optional.empty());

    /** Checks the chunk size. */
    public PushOptions {
        if (chunkSize < 0) {
            throw new IllegalArgumentException("negative chunk size");
        }
    }
}
