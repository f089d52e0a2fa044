package io.bpfstore.registry.oci;

import java.util.Set;

/** Manifest media types this registry stores. */
public final class MediaTypes {
    /** OCI image manifest. */
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** OCI image index. */
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** Docker image manifest v2 schema 2. */
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** Docker manifest list. */
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** Manifests that reference a config and layers (blobs). */
    public static final Set<String> IMAGE_MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    /** Manifests that reference other manifests. */
    public static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);

    private MediaTypes() {
    }
}
