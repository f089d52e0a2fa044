package io.bpfstore.registry.storage;

import java.time.Instant;

/**
 * Bytes of an unfinished upload in the blob store's staging area.
 *
 * @param id         the upload id (the session's id), or the name of a one-shot put's staging file, which no
 *                   session owns (so upkeep removes it once it is stale: the debris of a crashed instance)
 * @param modifiedAt when bytes were last written
 */
public record StagedUpload(String id, Instant modifiedAt) {
}
