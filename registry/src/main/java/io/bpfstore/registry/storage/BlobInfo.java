package io.bpfstore.registry.storage;

import io.bpfstore.store.image.Digest;

/**
 * A stored blob.
 *
 * @param digest its content digest
 * @param size   its length in bytes
 */
public record BlobInfo(Digest digest, long size) {
}
