package io.bpfstore.registry.storage;

import java.time.Instant;

/**
 * Bytes of an unfinished upload in the blob store's staging area.
 *
 * @param id         the upload id (the session's id)
 * @param modifiedAt when a chunk was last appended
 */
public record StagedUpload(String id, Instant modifiedAt) {
}
