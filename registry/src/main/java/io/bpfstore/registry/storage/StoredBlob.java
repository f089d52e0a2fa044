package io.bpfstore.registry.storage;

import io.bpfstore.store.image.Digest;
import java.time.Instant;

/**
 * A blob as the store lists it for garbage collection.
 *
 * @param digest   its content digest
 * @param size     its length in bytes
 * @param storedAt when it was last written (a re-upload of the same bytes renews it)
 */
public record StoredBlob(Digest digest, long size, Instant storedAt) {
}
