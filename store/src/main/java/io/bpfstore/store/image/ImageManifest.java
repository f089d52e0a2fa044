package io.bpfstore.store.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an OCI image manifest bpfstore reads: the config and layer descriptors and the annotations.
 *
 * @param mediaType   the manifest's media type
 * @param config      the config blob
 * @param layers      the layers, in order
 * @param annotations the manifest's annotations
 */
public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers,
                            Map<String, String> annotations) {
    /** Most layers accepted: {@link ManifestDocument#MAX_LAYERS}. */
    public static final int MAX_LAYERS = ManifestDocument.MAX_LAYERS;

    /** Copies the lists. */
    public ImageManifest {
        layers = List.copyOf(layers);
        annotations = Map.copyOf(annotations);
    }

    /**
     * Parses manifest bytes with {@link ManifestDocument}'s rules and limits (the registry's), then requires an
     * image manifest; {@code where} names them in errors.
     */
    public static ImageManifest parse(byte[] bytes, String where) {
        ManifestDocument doc = ManifestDocument.parse(bytes, Optional.empty(), where);
        if (!doc.isImage()) {
            throw new InvalidImageException(where, "media type " + doc.mediaType() + " is not an image manifest");
        }
        return new ImageManifest(doc.mediaType(), doc.config().orElseThrow(), doc.layers(), doc.annotations());
    }

    /** Parses a descriptor object; {@code where} names it in errors. */
    public static Descriptor descriptor(JsonNode node, String where) {
        return ManifestDocument.descriptor(node, where, "descriptor");
    }

    /** Parses JSON bytes into an object tree with {@link StrictJson}'s rules, naming {@code where} in errors. */
    public static JsonNode json(byte[] bytes, String where) {
        return StrictJson.object(bytes, where);
    }
}
