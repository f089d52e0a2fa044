package io.bpfstore.store.image;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    /** Most layers accepted (a package has one; images from elsewhere have a few dozen at most). */
    public static final int MAX_LAYERS = 128;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the lists. */
    public ImageManifest {
        layers = List.copyOf(layers);
        annotations = Map.copyOf(annotations);
    }

    /** Parses manifest bytes; {@code where} names them in errors. */
    public static ImageManifest parse(byte[] bytes, String where) {
        JsonNode root = json(bytes, where);
        if (root.path("schemaVersion").asInt() != 2) {
            throw new InvalidImageException(where, "schemaVersion is not 2");
        }
        String mediaType = root.path("mediaType").asText(MediaTypes.MANIFEST);
        if (!mediaType.equals(MediaTypes.MANIFEST) && !mediaType.equals(MediaTypes.DOCKER_MANIFEST)) {
            throw new InvalidImageException(where, "media type " + mediaType + " is not an image manifest");
        }
        Descriptor config = descriptor(root.path("config"), where + " config");
        JsonNode layersNode = root.path("layers");
        if (!layersNode.isArray() || layersNode.size() > MAX_LAYERS) {
            throw new InvalidImageException(where, "layers must be an array of at most " + MAX_LAYERS);
        }
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < layersNode.size(); i++) {
            layers.add(descriptor(layersNode.get(i), where + " layers[" + i + "]"));
        }
        return new ImageManifest(mediaType, config, layers, strings(root.path("annotations"), where));
    }

    /** Parses a descriptor object; {@code where} names it in errors. */
    public static Descriptor descriptor(JsonNode node, String where) {
        if (!node.isObject() || !node.path("mediaType").isTextual() || !node.path("digest").isTextual()
                || !node.path("size").canConvertToLong()) {
            throw new InvalidImageException(where, "not a descriptor (mediaType, digest, size)");
        }
        Digest digest;
        try {
            digest = Digest.parse(node.get("digest").asText());
        } catch (InvalidImageException e) {
            throw new InvalidImageException(where, e.getMessage());
        }
        return new Descriptor(node.get("mediaType").asText(), digest, node.get("size").asLong(),
                strings(node.path("annotations"), where));
    }

    /** Parses JSON bytes into a tree, naming {@code where} in the error. */
    public static JsonNode json(byte[] bytes, String where) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new InvalidImageException(where, "not a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw new InvalidImageException(where, "not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidImageException(where, e.getMessage());
        }
    }

    private static Map<String, String> strings(JsonNode node, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new InvalidImageException(where, "annotations must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
