package io.bpfstore.registry.storage;

import java.time.Instant;

/**
 * An open blob upload.
 *
 * @param id         random id, also the name of the staged bytes in the blob store
 * @param repository the repository it will be linked into
 * @param offset     bytes accepted so far (authoritative)
 * @param startedAt  when it was opened
 */
public record UploadSession(String id, String repository, long offset, Instant startedAt) {
}
