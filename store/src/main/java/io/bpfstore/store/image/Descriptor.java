package io.bpfstore.store.image;

import java.util.Map;
import java.util.Optional;

/**
 * An OCI content descriptor: what a blob is, its digest and size.
 *
 * @param mediaType   the content's media type
 * @param digest      its digest
 * @param size        its size in bytes
 * @param annotations  annotations (may be empty)
 * @param artifactType the OCI 1.1 artifact type, if given
 */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
                         Optional<String> artifactType) {
    /** A descriptor without an artifact type. */
    public Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations) {
        this(mediaType, digest, size, annotations, Optional.empty());
    }

    /** Copies the annotations. */
    public Descriptor {
        annotations = Map.copyOf(annotations);
        if (size < 0) {
            throw new InvalidImageException("descriptor " + digest, "negative size " + size);
        }
    }

    /** The descriptor of {@code bytes} of type {@code mediaType}. */
    public static Descriptor of(String mediaType, byte[] bytes) {
        return new Descriptor(mediaType, Digest.of(bytes), bytes.length, Map.of());
    }
}
