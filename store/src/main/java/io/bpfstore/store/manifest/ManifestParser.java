package io.bpfstore.store.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bpfstore.analysis.permissions.DeclaredPermissions;
import io.bpfstore.bytecode.object.ProgramTypes;
import io.bpfstore.store.image.ControlCharacters;
import io.bpfstore.store.image.RepositoryName;
import io.bpfstore.store.image.SemVer;
import io.bpfstore.analysis.permissions.Permission;
import io.bpfstore.analysis.permissions.UnknownPermissionException;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;

/**
 * Reads {@code bpfstore.yaml} into a validated {@link PackageManifest}. Safe on hostile input: the document is
 * size-limited before parsing, YAML aliases, nesting and string lengths are capped, unknown keys and wrong types
 * are refused, and every problem is a {@link ManifestException} naming the field.
 *
 * <pre>{@code
 * name: xdp-counter
 * namespace: examples
 * version: 1.2.0
 * license: GPL-2.0-only
 * hooks:
 *   - program: xdp_count
 *     priority: 50
 *     proceed_on: [pass, dispatcher_return]
 * object: xdp_counter.o
 * }</pre>
 */
public final class ManifestParser {
    /** Largest manifest file accepted, in bytes. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Longest description. */
    public static final int MAX_DESCRIPTION = 4096;
    /** Longest short string (author, permission, URL, program name). */
    public static final int MAX_STRING = 256;
    /** Most entries in any list (authors, permissions, hooks, proceed_on). */
    public static final int MAX_LIST = 64;

    private static final Pattern PROGRAM = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final ObjectMapper YAML = yamlMapper();
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']{1,64})'");

    /** The raw document, before validation; field names are the YAML keys. */
    private record RawManifest(String name, String namespace, String version, String description, String license,
                               String homepage, List<String> authors, List<String> permissions, List<RawHook> hooks,
                               String object, Map<String, Object> globals, Map<String, RawProgram> programs) {
    }

    private record RawProgram(String type) {
    }

    private record RawHook(String program, Integer priority, @JsonProperty("proceed_on") List<String> proceedOn) {
    }

    private ManifestParser() {
    }

    private static ObjectMapper yamlMapper() {
        LoaderOptions loader = new LoaderOptions();
        loader.setMaxAliasesForCollections(16); // a "billion laughs" document needs many more
        loader.setAllowDuplicateKeys(false);
        loader.setNestingDepthLimit(16);
        loader.setCodePointLimit(MAX_BYTES);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(loader)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(MAX_BYTES).maxNestingDepth(16).maxDocumentLength(MAX_BYTES).build())
                .build();
        YAMLMapper mapper = YAMLMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // A number or boolean where text belongs ("version: 1.2") is a mistake to report, not to convert.
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }

    /** Reads the manifest file; the object path is checked to stay inside the file's directory. */
    public static PackageManifest read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new ManifestException("", "file of " + size + " bytes is larger than the " + MAX_BYTES
                    + "-byte limit");
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(utf8(Files.readAllBytes(file)), dir);
    }

    /** Decodes the file as UTF-8; a byte that is not UTF-8 is a {@link ManifestException} naming line and column. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            // find the first bad byte: decode growing prefixes is too slow, so walk the valid prefix once
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer in = ByteBuffer.wrap(bytes);
            java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
            decoder.decode(in, out, true);
            out.flip();
            int line = 1;
            int column = 1;
            for (int i = 0; i < out.length(); i++) {
                if (out.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            throw new ManifestException("", Optional.of(new ManifestException.Location(line, column)),
                    "not UTF-8 (byte 0x" + String.format("%02x", bytes[in.position()] & 0xff) + ")");
        }
    }

    /** Parses manifest text whose relative paths are relative to {@code baseDir}. */
    public static PackageManifest parse(String text, Path baseDir) {
        if (text.length() > MAX_BYTES) {
            throw new ManifestException("", "document of " + text.length() + " characters is larger than the "
                    + MAX_BYTES + "-character limit");
        }
        if (text.isBlank()) {
            throw new ManifestException("", "empty document");
        }
        refuseAliases(text);
        RawManifest raw;
        try {
            raw = YAML.readValue(text, RawManifest.class);
        } catch (UnrecognizedPropertyException e) {
            // Jackson reports where it stopped buffering (the end of the mapping while an optional key such as
            // globals is absent), so the key is located in the text itself
            throw new ManifestException(path(e), keyLine(text, e.getPropertyName()).or(() -> location(e.getLocation())),
                    "unknown key \"" + e.getPropertyName() + "\" (known: name, namespace, version, description, "
                            + "license, homepage, authors, permissions, hooks, object, globals, programs; hooks take "
                            + "program, priority, proceed_on; programs take type)");
        } catch (MismatchedInputException e) {
            throw new ManifestException(path(e), location(e.getLocation()), "wrong type: expected "
                    + expected(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw new ManifestException(path(e), location(e.getLocation()), "wrong value: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (StreamReadException e) {
            java.util.regex.Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
            if (duplicate.find()) {
                throw new ManifestException(duplicate.group(1), location(e.getLocation()), "given twice");
            }
            throw new ManifestException("", location(e.getLocation()), "not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (JacksonException e) {
            throw new ManifestException("", location(e.getLocation()), "not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (RuntimeException e) {
            // SnakeYAML reports its limits (aliases, code points, nesting) as plain runtime exceptions.
            throw new ManifestException("", "refused: " + e.getMessage());
        }
        if (raw == null) {
            throw new ManifestException("", "empty document");
        }
        PackageManifest manifest = validate(raw, baseDir);
        return raw.programs() == null ? manifest : new PackageManifest(manifest.name(), manifest.namespace(),
                manifest.version(), manifest.description(), manifest.license(), manifest.homepage(),
                manifest.authors(), manifest.permissions(), manifest.hooks(), manifest.object(), manifest.globals(),
                programs(raw.programs(), text));
    }

    /**
     * {@code programs: {NAME: {type: TYPE}}}: C function names to settings; a type is one of bpftool's program type
     * names ({@link ProgramTypes#named}, as {@code load --type}). Problems name the line and column of the entry.
     */
    private static List<ProgramSetting> programs(Map<String, RawProgram> raw, String text) {
        if (raw.size() > MAX_LIST) {
            throw new ManifestException("programs", raw.size() + " entries, at most " + MAX_LIST + " allowed");
        }
        List<ProgramSetting> out = new ArrayList<>();
        for (Map.Entry<String, RawProgram> e : raw.entrySet()) {
            String where = "programs." + e.getKey();
            Optional<ManifestException.Location> at = YamlLocations.key(text, "programs", e.getKey());
            if (e.getKey().length() > MAX_STRING || !PROGRAM.matcher(e.getKey()).matches()) {
                throw new ManifestException(where, at, "not a C function name");
            }
            if (e.getValue() == null || e.getValue().type() == null) {
                throw new ManifestException(where + ".type", at, "missing");
            }
            String type = e.getValue().type();
            try {
                out.add(new ProgramSetting(e.getKey(), ProgramTypes.named(type), at));
            } catch (IllegalArgumentException bad) {
                throw new ManifestException(where + ".type", YamlLocations.value(text, "programs", e.getKey(), "type")
                        .or(() -> at), ControlCharacters.problem(type) == null ? bad.getMessage()
                        : "unknown program type (" + ControlCharacters.problem(type) + ")");
            }
        }
        return out;
    }

    /** Line and column of the first line of {@code text} that holds key {@code key} (in a mapping or list item). */
    private static Optional<ManifestException.Location> keyLine(String text, String key) {
        List<String> lines = text.lines().toList();
        Pattern p = Pattern.compile("^(\\s*(?:-\\s+)?)" + Pattern.quote(key) + "\\s*:");
        for (int i = 0; i < lines.size(); i++) {
            java.util.regex.Matcher m = p.matcher(lines.get(i));
            if (m.find()) {
                return Optional.of(new ManifestException.Location(i + 1, m.group(1).length() + 1));
            }
        }
        return Optional.empty();
    }

    /**
     * Refuses YAML aliases ({@code *name}). Jackson does not expand aliases of collections but silently reads
     * them as their anchor's name, and expanding them is how "billion laughs" documents explode; a package
     * manifest never needs one. Uses SnakeYAML's event parser, which does not build or expand anything.
     */
    private static void refuseAliases(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_BYTES);
        options.setNestingDepthLimit(16);
        try {
            for (Event event : new Yaml(options).parse(new StringReader(text))) {
                if (event instanceof AliasEvent alias) {
                    Mark m = alias.getStartMark();
                    throw new ManifestException("", Optional.of(new ManifestException.Location(m.getLine() + 1,
                            m.getColumn() + 1)), "YAML alias *" + alias.getAnchor()
                            + " refused: bpfstore.yaml does not allow aliases");
                }
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            throw new ManifestException("", m == null ? Optional.empty() : Optional.of(new ManifestException.Location(
                    m.getLine() + 1, m.getColumn() + 1)), "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ManifestException("", "refused: " + e.getMessage());
        }
    }

    private static PackageManifest validate(RawManifest raw, Path baseDir) {
        String name = segment("name", raw.name());
        String namespace = segment("namespace", raw.namespace());
        SemVer version;
        try {
            version = SemVer.packageVersion(required("version", raw.version()));
        } catch (IllegalArgumentException e) {
            throw new ManifestException("version", e.getMessage());
        }
        String description = raw.description() == null ? "" : raw.description();
        printable("description", description);
        Optional.ofNullable(raw.homepage()).ifPresent(h -> printable("homepage", h));
        Optional.ofNullable(raw.authors()).ifPresent(list -> list.forEach(a -> printable("authors", a)));
        Optional.ofNullable(raw.object()).ifPresent(o -> printable("object", o));
        if (description.length() > MAX_DESCRIPTION) {
            throw new ManifestException("description", "longer than " + MAX_DESCRIPTION + " characters");
        }
        String license = required("license", raw.license());
        String licenseProblem = SpdxLicense.problem(license);
        if (licenseProblem != null) {
            throw new ManifestException("license", licenseProblem);
        }
        Optional<String> homepage = Optional.ofNullable(raw.homepage()).map(ManifestParser::homepage);
        List<String> authors = strings("authors", raw.authors());
        List<String> permissions = permissions(strings("permissions", raw.permissions()));
        List<Hook> hooks = hooks(raw.hooks());
        String object = objectPath(required("object", raw.object()), baseDir);
        return new PackageManifest(name, namespace, version, description, license, homepage, authors, permissions,
                hooks, object, globals(raw.globals()));
    }

    /**
     * {@code globals: {NAME: VALUE}}: C identifiers to scalars (text, numbers and booleans are all kept as text; the
     * object's BTF types them at package and install time).
     */
    private static Map<String, String> globals(Map<String, Object> raw) {
        if (raw == null) {
            return Map.of();
        }
        if (raw.size() > MAX_LIST) {
            throw new ManifestException("globals", raw.size() + " entries, at most " + MAX_LIST + " allowed");
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            String where = "globals." + e.getKey();
            if (!PROGRAM.matcher(e.getKey()).matches() || e.getKey().length() > MAX_STRING) {
                throw new ManifestException(where, "not a C variable name");
            }
            Object v = e.getValue();
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw new ManifestException(where, "wrong type: expected a number, a boolean or text");
            }
            String text = v.toString();
            if (text.length() > MAX_STRING) {
                throw new ManifestException(where, "longer than " + MAX_STRING + " characters");
            }
            out.put(e.getKey(), text);
        }
        return out;
    }

    /** Refuses control characters (terminal escapes) in a text field. */
    private static void printable(String field, String value) {
        String problem = value == null ? null : ControlCharacters.problem(value);
        if (problem != null) {
            throw new ManifestException(field, problem);
        }
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ManifestException(field, "missing");
        }
        return value;
    }

    private static String segment(String field, String value) {
        String problem = RepositoryName.problem(required(field, value));
        if (problem != null) {
            throw new ManifestException(field, problem);
        }
        return value;
    }

    private static String homepage(String url) {
        if (url.length() > MAX_STRING) {
            throw new ManifestException("homepage", "longer than " + MAX_STRING + " characters");
        }
        try {
            URI uri = new URI(url);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ManifestException("homepage", "\"" + url + "\" is not an http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new ManifestException("homepage", "\"" + url + "\" is not a URL: " + e.getReason());
        }
        return url;
    }

    private static List<String> strings(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_LIST) {
            throw new ManifestException(field, values.size() + " entries, at most " + MAX_LIST + " allowed");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            String where = field + "[" + i + "]";
            if (v == null || v.isBlank()) {
                throw new ManifestException(where, "empty");
            }
            if (v.length() > MAX_STRING) {
                throw new ManifestException(where, "longer than " + MAX_STRING + " characters");
            }
            if (!seen.add(v)) {
                throw new ManifestException(where, "\"" + v + "\" is listed twice");
            }
        }
        return List.copyOf(values);
    }

    /**
     * The declared permissions as ids (in {@link io.bpfstore.analysis.permissions.Permission} order), each entry
     * an id or a plain name; an id and its plain name both listed count as listed twice.
     */
    private static List<String> permissions(List<String> names) {
        try {
            DeclaredPermissions declared = DeclaredPermissions.parse(names);
            if (declared.permissions().size() != names.size()) {
                for (int i = 0; i < names.size(); i++) {
                    for (int j = 0; j < i; j++) {
                        if (Permission.named(names.get(i)).equals(Permission.named(names.get(j)))) {
                            throw new ManifestException("permissions[" + i + "]", "\"" + names.get(i)
                                    + "\" names the same permission as permissions[" + j + "]");
                        }
                    }
                }
            }
            return declared.ids();
        } catch (UnknownPermissionException e) {
            throw new ManifestException("permissions[" + e.index() + "]", e.getMessage());
        }
    }

    private static List<Hook> hooks(List<RawHook> raw) {
        if (raw == null) {
            return List.of();
        }
        if (raw.size() > MAX_LIST) {
            throw new ManifestException("hooks", raw.size() + " entries, at most " + MAX_LIST + " allowed");
        }
        List<Hook> hooks = new ArrayList<>();
        Set<String> programs = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            RawHook h = raw.get(i);
            String where = "hooks[" + i + "]";
            if (h == null) {
                throw new ManifestException(where, "empty entry");
            }
            String program = required(where + ".program", h.program());
            if (program.length() > MAX_STRING || !PROGRAM.matcher(program).matches()) {
                throw new ManifestException(where + ".program", "not a C function name");
            }
            if (!programs.add(program)) {
                throw new ManifestException(where + ".program", "\"" + program + "\" has two hook entries");
            }
            int priority = h.priority() == null ? Hook.DEFAULT_PRIORITY : h.priority();
            if (priority < Hook.MIN_PRIORITY || priority > Hook.MAX_PRIORITY) {
                throw new ManifestException(where + ".priority", priority + " is outside " + Hook.MIN_PRIORITY
                        + ".." + Hook.MAX_PRIORITY);
            }
            List<String> proceedOn = strings(where + ".proceed_on", h.proceedOn());
            for (int j = 0; j < proceedOn.size(); j++) {
                if (!HookActions.known(proceedOn.get(j))) {
                    throw new ManifestException(where + ".proceed_on[" + j + "]", "unknown action \""
                            + proceedOn.get(j) + "\" (XDP: " + String.join(", ", HookActions.XDP.actions())
                            + "; tc: " + String.join(", ", HookActions.TC.actions()) + ")");
                }
            }
            hooks.add(new Hook(program, priority, proceedOn));
        }
        return hooks;
    }

    private static String objectPath(String object, Path baseDir) {
        if (object.length() > MAX_STRING) {
            throw new ManifestException("object", "longer than " + MAX_STRING + " characters");
        }
        if (!(object.endsWith(".o") || object.endsWith(".c"))) {
            throw new ManifestException("object", "\"" + object + "\" must name an eBPF object (.o) or C source (.c)");
        }
        Path relative;
        try {
            relative = Path.of(object);
        } catch (InvalidPathException e) {
            throw new ManifestException("object", "\"" + object + "\" is not a path: " + e.getReason());
        }
        Path base = baseDir.toAbsolutePath().normalize();
        Path resolved = base.resolve(relative).normalize();
        if (relative.isAbsolute() || !resolved.startsWith(base)) {
            throw new ManifestException("object", "\"" + object + "\" leaves the manifest's directory " + base);
        }
        if (Files.exists(resolved) && !Files.isRegularFile(resolved)) {
            throw new ManifestException("object", "\"" + object + "\" is not a regular file (" + resolved + ")");
        }
        try {
            // A symbolic link inside the directory may still point out of it.
            if (Files.exists(resolved) && !resolved.toRealPath().startsWith(base.toRealPath())) {
                throw new ManifestException("object", "\"" + object + "\" is a link out of the manifest's directory");
            }
        } catch (IOException e) {
            throw new ManifestException("object", "cannot resolve \"" + object + "\": " + e.getMessage());
        }
        return base.relativize(resolved).toString();
    }

    /** What a field should have been, in the manifest's words rather than Java's. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == String.class) {
            return "text";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == RawProgram.class) {
            return "a mapping with type";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping";
        }
        if (type == RawHook.class) {
            return "a mapping with program, priority, proceed_on";
        }
        if (type == RawManifest.class) {
            return "a mapping of keys (name, namespace, version, license, object, ...)";
        }
        return "another kind of value";
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(r.getFieldName().equals("proceedOn") ? "proceed_on" : r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static Optional<ManifestException.Location> location(JsonLocation l) {
        if (l == null || l.getLineNr() <= 0) {
            return Optional.empty();
        }
        return Optional.of(new ManifestException.Location(l.getLineNr(), l.getColumnNr()));
    }
}
