package io.bpfstore.registry.storage;

import java.time.Instant;

/**
 * An open blob upload.
 *
 * @param id         random id, also the name of the staged bytes in the blob store
 * @param repository the repository it will be linked into
 * @param offset     bytes accepted so far (authoritative)
 * @param startedAt  when it was opened
 * @param staging    the blob store's state of the staged bytes (an OCI backend's upload URL), "" if none
 */
public record UploadSession(String id, String repository, long offset, Instant startedAt, String staging) {
    /** Checks the staging state is present. */
    public UploadSession {
        java.util.Objects.requireNonNull(staging, "staging");
    }

    /** A session whose blob store keeps no staging state of its own. */
    public UploadSession(String id, String repository, long offset, Instant startedAt) {
        this(id, repository, offset, startedAt, "");
    }
}
