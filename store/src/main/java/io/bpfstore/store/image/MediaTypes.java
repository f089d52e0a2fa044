package io.bpfstore.store.image;

import java.util.Set;

/** The OCI (and Docker) media types a package involves. */
public final class MediaTypes {
    /** An OCI image manifest. */
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** An OCI image index. */
    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    /** An OCI image config. */
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    /** A gzip-compressed tar layer. */
    public static final String LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** Docker's schema-2 manifest, which some registries hand out for images pushed by Docker. */
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    /** Docker's manifest list (an index). */
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** Manifests that reference a config and layers (blobs). */
    public static final Set<String> IMAGE_MANIFESTS = Set.of(MANIFEST, DOCKER_MANIFEST);
    /** Manifests that reference other manifests. */
    public static final Set<String> INDEXES = Set.of(INDEX, DOCKER_LIST);

    private MediaTypes() {
    }
}
