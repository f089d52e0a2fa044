package io.bpfstore.registry.packages;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.store.image.ControlCharacters;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.image.SemVer;
import io.bpfstore.store.image.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/** Reads the package contract's labels from an image config blob. */
public final class PackageLabels {
    /** The label holding the full bpfstore metadata. */
    public static final String PACKAGE = "io.bpfstore.package";
    /** Function name to program type. */
    public static final String PROGRAMS = "io.ebpf.programs";
    /** Map name to map type. */
    public static final String MAPS = "io.ebpf.maps";

    /** A reader of package labels (it parses with {@link StrictJson}, the rules the push checks use). */
    public PackageLabels() {
    }

    /**
     * The release an image config describes, or empty if the image is not a package or the tag is not a semantic
     * version.
     *
     * @param config     the config blob
     * @param repository {@code namespace/name} it was pushed to
     * @param tag        the tag it was pushed under
     * @param digest     the manifest digest
     * @throws InvalidPackageException if the package label is present but malformed or names another package
     */
    public Optional<PackageRelease> read(byte[] config, String repository, String tag, String digest)
            throws InvalidPackageException {
        JsonNode root;
        try {
            root = StrictJson.object(config, "config");
        } catch (InvalidImageException e) {
            throw new InvalidPackageException(e.getMessage()); // the push checks refuse it first; never half-indexed
        }
        JsonNode labels = root == null ? null : root.path("config").path("Labels");
        if (labels == null || !labels.isObject() || !labels.has(PACKAGE)) {
            return Optional.empty();
        }
        if (!SemVer.isPackageVersion(tag)) {
            return Optional.empty();
        }
        JsonNode meta = parseLabel(labels, PACKAGE);
        if (!meta.isObject()) {
            throw new InvalidPackageException("label " + PACKAGE + ": not a JSON object");
        }
        refuseControlCharacters(meta, "");
        String[] parts = repository.split("/");
        if (parts.length != 2) {
            throw new InvalidPackageException("label " + PACKAGE + ": packages live in NAMESPACE/NAME repositories,"
                    + " not " + repository);
        }
        requireEqual(meta, "namespace", parts[0]);
        requireEqual(meta, "name", parts[1]);
        if (meta.has("version")) {
            requireEqual(meta, "version", tag);
        }
        TreeSet<String> types = new TreeSet<>();
        TreeSet<String> attach = new TreeSet<>();
        TreeSet<String> helpers = new TreeSet<>();
        TreeSet<String> mapTypes = new TreeSet<>();
        JsonNode req = meta.path("requirements");
        strings(req.path("program_types"), "requirements.program_types", types, true);
        strings(req.path("attach_types"), "requirements.attach_types", attach, true);
        strings(req.path("helpers"), "requirements.helpers", helpers, false);
        strings(req.path("map_types"), "requirements.map_types", mapTypes, true);
        JsonNode maps = meta.path("maps");
        if (!maps.isMissingNode() && !maps.isArray()) {
            throw new InvalidPackageException("label " + PACKAGE + ": field maps is not an array");
        }
        for (JsonNode m : maps) {
            text(m, "type").ifPresent(t -> mapTypes.add(t.toLowerCase(Locale.ROOT)));
        }
        JsonNode programs = meta.path("programs");
        if (!programs.isMissingNode() && !programs.isArray()) {
            throw new InvalidPackageException("label " + PACKAGE + ": field programs is not an array");
        }
        for (JsonNode p : programs) {
            text(p, "type").ifPresent(t -> types.add(t.toLowerCase(Locale.ROOT)));
            text(p, "attach_type").ifPresent(t -> attach.add(t.toLowerCase(Locale.ROOT)));
            strings(p.path("helpers"), "programs[].helpers", helpers, false);
        }
        labelValues(labels, PROGRAMS, types);
        labelValues(labels, MAPS, mapTypes);
        return Optional.of(new PackageRelease(parts[0], parts[1], tag, digest,
                text(meta, "description").orElse(""), text(meta, "license").orElse(""),
                types.stream().toList(), attach.stream().toList(), helpers.stream().toList(), mapTypes.stream().toList(),
                meta.toString()));
    }

    /** Adds the values (lower case) of a bpfman label naming types ({@code io.ebpf.programs}, {@code io.ebpf.maps}). */
    private void labelValues(JsonNode labels, String label, TreeSet<String> into) throws InvalidPackageException {
        if (!labels.has(label)) {
            return;
        }
        JsonNode declared = parseLabel(labels, label);
        if (!declared.isObject()) {
            throw new InvalidPackageException("label " + label + ": not a JSON object");
        }
        declared.properties().forEach(e -> {
            if (e.getValue().isTextual()) into.add(e.getValue().asText().toLowerCase(Locale.ROOT));
        });
    }

    /** Refuses control characters (terminal escapes) in any text of the label, naming the field. */
    private static void refuseControlCharacters(JsonNode node, String path) throws InvalidPackageException {
        if (node.isTextual()) {
            String problem = ControlCharacters.problem(node.asText());
            if (problem != null) {
                throw new InvalidPackageException("label " + PACKAGE + ": field " + path + ": " + problem);
            }
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseControlCharacters(node.get(i), path + "[" + i + "]");
            }
        }
        for (var e : node.properties()) {
            refuseControlCharacters(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
        }
    }

    /**
     * The JSON object a label holds as a string (the labels of the package contract and bpfman's).
     *
     * @throws InvalidPackageException if the value is not a string or not strict JSON
     */
    public static JsonNode parseLabel(JsonNode labels, String label) throws InvalidPackageException {
        JsonNode value = labels.get(label);
        if (!value.isTextual()) {
            throw new InvalidPackageException("label " + label + ": value is not a string");
        }
        try {
            return StrictJson.object(value.asText().getBytes(StandardCharsets.UTF_8), "label " + label);
        } catch (InvalidImageException e) {
            throw new InvalidPackageException(e.getMessage());
        }
    }

    private static void requireEqual(JsonNode meta, String field, String expected) throws InvalidPackageException {
        String actual = meta.path(field).asText(null);
        if (!expected.equals(actual)) {
            throw new InvalidPackageException("label " + PACKAGE + ": field " + field + " is \"" + actual
                    + "\" but the image was pushed as \"" + expected + "\"");
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static void strings(JsonNode array, String where, TreeSet<String> into, boolean lower)
            throws InvalidPackageException {
        if (array.isMissingNode() || array.isNull()) {
            return;
        }
        if (!array.isArray()) {
            throw new InvalidPackageException("label " + PACKAGE + ": field " + where + " is not an array");
        }
        for (JsonNode v : array) {
            if (!v.isTextual()) {
                throw new InvalidPackageException("label " + PACKAGE + ": field " + where + " holds a non-string");
            }
            into.add(lower ? v.asText().toLowerCase(Locale.ROOT) : v.asText());
        }
    }
}
