package io.bpfstore.registry.oci;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.bpfstore.registry.storage.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a pushed manifest the registry checks and indexes.
 *
 * @param mediaType    the effective media type (from the body, else the Content-Type)
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
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final int MAX_DESCRIPTORS = 10_000;

    /** Copies collections. */
    public ManifestDocument {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
    }

    /** Every blob the manifest references (config first). */
    public List<Descriptor> blobs() {
        List<Descriptor> all = new ArrayList<>();
        config.ifPresent(all::add);
        all.addAll(layers);
        return all;
    }

    /**
     * Parses and checks a manifest body.
     *
     * @param body        the bytes as pushed
     * @param contentType the request's Content-Type, if any (parameters ignored)
     * @throws OciException MANIFEST_INVALID naming the field at fault
     */
    public static ManifestDocument parse(byte[] body, Optional<String> contentType) throws OciException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid("manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("manifest is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("manifest is not a JSON object");
        }
        if (root.path("schemaVersion").asInt(-1) != 2 || !root.path("schemaVersion").isIntegralNumber()) {
            throw invalid("schemaVersion must be 2");
        }
        Optional<String> declared = contentType.map(t -> t.split(";")[0].strip()).filter(t -> !t.isEmpty());
        Optional<String> inBody = text(root, "mediaType");
        if (root.has("mediaType") && inBody.isEmpty()) {
            throw invalid("mediaType must be a string");
        }
        if (inBody.isPresent() && declared.isPresent() && !inBody.get().equals(declared.get())) {
            throw invalid("Content-Type " + declared.get() + " differs from the manifest's mediaType " + inBody.get());
        }
        String mediaType = inBody.or(() -> declared.filter(t -> MediaTypes.IMAGE_MANIFESTS.contains(t)
                        || MediaTypes.INDEXES.contains(t)))
                .orElse(root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST);
        Optional<Descriptor> subject = root.has("subject")
                ? Optional.of(descriptor(root.get("subject"), "subject")) : Optional.empty();
        Optional<String> artifactType = text(root, "artifactType");
        Map<String, String> annotations = annotations(root.path("annotations"), "annotations");
        if (MediaTypes.IMAGE_MANIFESTS.contains(mediaType)) {
            if (!root.has("config")) {
                throw invalid("image manifest lacks config");
            }
            Descriptor config = descriptor(root.get("config"), "config");
            List<Descriptor> layers = descriptors(root.path("layers"), "layers");
            return new ManifestDocument(mediaType, Optional.of(config), layers, List.of(), subject,
                    artifactType.or(() -> Optional.of(config.mediaType())), annotations);
        }
        if (MediaTypes.INDEXES.contains(mediaType)) {
            List<Descriptor> manifests = descriptors(root.path("manifests"), "manifests");
            return new ManifestDocument(mediaType, Optional.empty(), List.of(), manifests, subject, artifactType,
                    annotations);
        }
        throw invalid("unsupported manifest media type " + mediaType);
    }

    private static List<Descriptor> descriptors(JsonNode array, String where) throws OciException {
        if (array.isMissingNode()) {
            throw invalid(where + " is missing");
        }
        if (!array.isArray()) {
            throw invalid(where + " is not an array");
        }
        if (array.size() > MAX_DESCRIPTORS) {
            throw invalid(where + " has more than " + MAX_DESCRIPTORS + " entries");
        }
        List<Descriptor> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(descriptor(array.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    private static Descriptor descriptor(JsonNode node, String where) throws OciException {
        if (!node.isObject()) {
            throw invalid(where + " is not an object");
        }
        String mediaType = text(node, "mediaType").orElseThrow(() -> invalid(where + ".mediaType is missing"));
        String digest = text(node, "digest").orElseThrow(() -> invalid(where + ".digest is missing"));
        if (!Digest.isValid(digest)) {
            throw invalid(where + ".digest is not a sha256 digest: " + digest);
        }
        JsonNode size = node.path("size");
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
            throw invalid(where + ".size must be a non-negative integer");
        }
        return new Descriptor(mediaType, Digest.parse(digest), size.asLong(), text(node, "artifactType"),
                annotations(node.path("annotations"), where + ".annotations"));
    }

    private static Map<String, String> annotations(JsonNode node, String where) throws OciException {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid(where + " is not an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw invalid(where + "." + e.getKey() + " is not a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static OciException invalid(String message) {
        return new OciException(OciError.MANIFEST_INVALID, "manifest invalid", message);
    }
}
