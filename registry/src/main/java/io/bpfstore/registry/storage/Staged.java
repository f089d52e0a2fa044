package io.bpfstore.registry.storage;

import java.util.Objects;

/**
 * Where a staged upload stands after a chunk.
 *
 * @param end     bytes staged so far
 * @param staging the blob store's state of the upload, kept in the {@link UploadSession} ("" if none)
 */
public record Staged(long end, String staging) {
    /** Checks the state is present. */
    public Staged {
        Objects.requireNonNull(staging, "staging");
    }
}
