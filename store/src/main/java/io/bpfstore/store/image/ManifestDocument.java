package io.bpfstore.store.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A manifest as the distribution API carries it, image manifest or index, parsed the one way client and registry
 * share: the registry refuses at push what this refuses, and the client can read whatever the registry stored.
 * {@link ImageManifest} is the image-manifest view the rest of the store works with.
 *
 * @param mediaType    the effective media type (from the body, else the declared Content-Type)
 * @param config       the config descriptor (image manifests)
 * @param layers       layer descriptors (image manifests)
 * @param manifests    child manifest descriptors (indexes)
 * @param subject      the OCI 1.1 subject, if any
 * @param artifactType {@code artifactType}, else the config media type of an image manifest
 * @param annotations  top-level annotations
 */
public record ManifestDocument(String mediaType, Optional<Descriptor> config, List<Descriptor> layers,
                               List<Descriptor> manifests, Optional<Descriptor> subject,
                               Optional<String> artifactType, Map<String, String> annotations) {
    /** Most layers in an image manifest (a package has one; images from elsewhere have a few dozen at most). */
    public static final int MAX_LAYERS = 128;
    /** Most entries in an index. */
    public static final int MAX_MANIFESTS = 1024;

    /** Copies collections. */
    public ManifestDocument {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
    }

    /** Whether this is an image manifest (config and layers), not an index. */
    public boolean isImage() {
        return config.isPresent();
    }

    /** Every blob the manifest references (config first). */
    public List<Descriptor> blobs() {
        List<Descriptor> all = new ArrayList<>();
        config.ifPresent(all::add);
        all.addAll(layers);
        return all;
    }

    /**
     * Parses and checks a manifest.
     *
     * @param body        the bytes as pushed or pulled
     * @param contentType the declared media type (a Content-Type, parameters ignored), if any
     * @param where       names the document in errors
     * @throws InvalidImageException naming the field at fault
     */
    public static ManifestDocument parse(byte[] body, Optional<String> contentType, String where) {
        JsonNode root = StrictJson.object(body, where);
        if (!root.path("schemaVersion").isIntegralNumber() || root.path("schemaVersion").asInt() != 2) {
            throw new InvalidImageException(where, "schemaVersion must be 2");
        }
        Optional<String> declared = contentType.map(t -> t.split(";")[0].strip()).filter(t -> !t.isEmpty());
        Optional<String> inBody = text(root, "mediaType");
        if (root.has("mediaType") && inBody.isEmpty()) {
            throw new InvalidImageException(where, "mediaType must be a string");
        }
        if (inBody.isPresent() && declared.isPresent() && !inBody.get().equals(declared.get())) {
            throw new InvalidImageException(where, "Content-Type " + declared.get()
                    + " differs from the manifest's mediaType " + inBody.get());
        }
        String mediaType = inBody.or(() -> declared.filter(t -> MediaTypes.IMAGE_MANIFESTS.contains(t)
                        || MediaTypes.INDEXES.contains(t)))
                .orElse(root.has("manifests") ? MediaTypes.INDEX : MediaTypes.MANIFEST);
        Optional<Descriptor> subject = root.has("subject")
                ? Optional.of(descriptor(root.get("subject"), where, "subject")) : Optional.empty();
        Optional<String> artifactType = text(root, "artifactType");
        Map<String, String> annotations = annotations(root.path("annotations"), where, "annotations");
        if (MediaTypes.IMAGE_MANIFESTS.contains(mediaType)) {
            if (!root.has("config")) {
                throw new InvalidImageException(where, "image manifest lacks config");
            }
            Descriptor config = descriptor(root.get("config"), where, "config");
            List<Descriptor> layers = descriptors(root.path("layers"), where, "layers", MAX_LAYERS);
            return new ManifestDocument(mediaType, Optional.of(config), layers, List.of(), subject,
                    artifactType.or(() -> Optional.of(config.mediaType())), annotations);
        }
        if (MediaTypes.INDEXES.contains(mediaType)) {
            List<Descriptor> manifests = descriptors(root.path("manifests"), where, "manifests", MAX_MANIFESTS);
            return new ManifestDocument(mediaType, Optional.empty(), List.of(), manifests, subject, artifactType,
                    annotations);
        }
        throw new InvalidImageException(where, "unsupported manifest media type " + mediaType);
    }

    /** Parses one descriptor object, {@code field} naming it inside {@code where}. */
    public static Descriptor descriptor(JsonNode node, String where, String field) {
        if (!node.isObject()) {
            throw new InvalidImageException(where, field + " is not an object");
        }
        String mediaType = text(node, "mediaType")
                .orElseThrow(() -> new InvalidImageException(where, field + ".mediaType is missing"));
        String digest = text(node, "digest")
                .orElseThrow(() -> new InvalidImageException(where, field + ".digest is missing"));
        if (!Digest.isDigest(digest)) {
            throw new InvalidImageException(where, field + ".digest is not a sha256 digest: " + digest);
        }
        JsonNode size = node.path("size");
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
            throw new InvalidImageException(where, field + ".size must be a non-negative integer");
        }
        return new Descriptor(mediaType, Digest.parse(digest), size.asLong(),
                annotations(node.path("annotations"), where, field + ".annotations"), text(node, "artifactType"));
    }

    private static List<Descriptor> descriptors(JsonNode array, String where, String field, int max) {
        if (array.isMissingNode()) {
            throw new InvalidImageException(where, field + " is missing");
        }
        if (!array.isArray()) {
            throw new InvalidImageException(where, field + " is not an array");
        }
        if (array.size() > max) {
            throw new InvalidImageException(where, field + " has " + array.size() + " entries, more than the "
                    + max + " allowed");
        }
        List<Descriptor> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(descriptor(array.get(i), where, field + "[" + i + "]"));
        }
        return out;
    }

    private static Map<String, String> annotations(JsonNode node, String where, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidImageException(where, field + " is not an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new InvalidImageException(where, field + "." + e.getKey() + " is not a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }
}
