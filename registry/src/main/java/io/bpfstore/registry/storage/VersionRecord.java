package io.bpfstore.registry.storage;

import java.time.Instant;

/**
 * One published version of a package as the index holds it.
 *
 * @param version     semantic version (the tag)
 * @param digest      manifest digest
 * @param metadata    the {@code io.bpfstore.package} label, compact JSON
 * @param yanked      hidden from search and "latest", still pullable
 * @param publishedAt when it was first indexed
 * @param downloads   manifest pulls of this version
 */
public record VersionRecord(String version, String digest, String metadata, boolean yanked, Instant publishedAt,
                            long downloads) {
}
