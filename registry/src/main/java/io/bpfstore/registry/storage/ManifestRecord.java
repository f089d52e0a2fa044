package io.bpfstore.registry.storage;

import io.bpfstore.store.image.Digest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A manifest as stored: its exact bytes (clients verify the digest over them) and the fields the registry
 * queries without parsing it again.
 *
 * @param repository   repository name
 * @param digest       digest of {@code content}
 * @param mediaType    the manifest's media type (sent back as Content-Type)
 * @param content      the exact bytes the client pushed; do not modify
 * @param subject      the manifest this one refers to (OCI 1.1 {@code subject}), if any
 * @param artifactType {@code artifactType}, or the config media type for image manifests, if any
 * @param createdAt    when it was first pushed
 */
public record ManifestRecord(String repository, Digest digest, String mediaType, byte[] content,
                             Optional<Digest> subject, Optional<String> artifactType, Instant createdAt) {
    /** Rejects nulls. */
    public ManifestRecord {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(digest);
        Objects.requireNonNull(mediaType);
        Objects.requireNonNull(content);
        Objects.requireNonNull(subject);
        Objects.requireNonNull(artifactType);
        Objects.requireNonNull(createdAt);
    }
}
