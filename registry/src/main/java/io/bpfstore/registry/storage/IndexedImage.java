package io.bpfstore.registry.storage;

import java.time.Instant;

/**
 * An image of another registry that {@code registry index} copied in and indexed.
 *
 * @param origin           the URL the index was added with (a registry, or one repository of it)
 * @param remoteRepository the repository in the origin registry
 * @param tag              the tag there
 * @param digest           the manifest digest it had when indexed ({@code sha256:…})
 * @param localRepository  the repository it was copied to here ({@code namespace/name})
 * @param version          the package version it is indexed as
 * @param kind             {@code bpfstore} (a bpfstore package) or {@code bpfman} (a bpfman bytecode image)
 * @param indexedAt        when it was (re-)indexed
 */
public record IndexedImage(String origin, String remoteRepository, String tag, String digest,
                           String localRepository, String version, String kind, Instant indexedAt) {
}
