package io.bpfstore.registry.storage;

/**
 * A stored blob.
 *
 * @param digest its content digest
 * @param size   its length in bytes
 */
public record BlobInfo(Digest digest, long size) {
}
