package io.bpfstore.registry.oci;

import io.bpfstore.registry.storage.Digest;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI content descriptor as found in a manifest.
 *
 * @param mediaType    media type of the referenced content
 * @param digest       its digest
 * @param size         its size in bytes
 * @param artifactType artifact type, if given
 * @param annotations  annotations, possibly empty
 */
public record Descriptor(String mediaType, Digest digest, long size, Optional<String> artifactType,
                         Map<String, String> annotations) {
    /** Copies the map. */
    public Descriptor {
        annotations = Map.copyOf(annotations);
    }
}
