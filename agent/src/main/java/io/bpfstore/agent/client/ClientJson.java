package io.bpfstore.agent.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.bpfstore.agent.api.ApiException;
import io.bpfstore.install.api.HookKind;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.InstallResult;
import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.install.api.TrafficDirection;
import io.bpfstore.install.api.Trust;
import io.bpfstore.install.api.UpgradeRequest;
import io.bpfstore.install.api.UpgradeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The install family's records as the agent's API JSON ({@code AgentJson}'s shape: snake_case, empty
 * {@code Optional}s absent), read and written with jackson-core's streaming parser and generator. The client
 * side of a CLI command through the agent needs only these few documents, and Jackson's databind (hundreds of
 * classes, reflection over the records) would be most of that command's start-up. The agent itself reads and
 * writes them with databind; ClientJsonTest holds the two to the same documents.
 */
final class ClientJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private ClientJson() {
    }

    /**
     * Readies the parser and the generator: reads and writes a small document, so that their classes are initialised
     * before the first answer arrives (the agent shortcut does it while its connection is made on another thread).
     */
    static void prepare() {
        installations("{\"installations\":[]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        write(g -> g.writeNumberField("n", 1));
    }

    /** A document the client could not read: the agent and this client disagree on the API. */
    private static ApiException unexpected(String what) {
        return new ApiException(502, "the agent answered with an unexpected document: " + what);
    }

    /** What the agent's error body says ({@code {"error": "..."}}), if it is such a document. */
    static Optional<String> error(byte[] body) {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            Optional<String> error = Optional.empty();
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                if (field.equals("error") && t == JsonToken.VALUE_STRING) {
                    error = Optional.of(p.getText());
                } else {
                    p.skipChildren();
                }
            }
            return error;
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code GET /v1/installations}'s answer: {@code {"installations": [...]}}. */
    static List<InstallationView> installations(byte[] body) {
        return read(body, p -> {
            List<InstallationView> all = List.of();
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                p.nextToken();
                if (field.equals("installations")) {
                    all = array(p, ClientJson::installation);
                } else {
                    p.skipChildren();
                }
            }
            return all;
        });
    }

    /** {@code POST /v1/installations}'s answer. */
    static InstallResult installResult(byte[] body) {
        return read(body, p -> {
            InstallationView installation = null;
            List<String> warnings = List.of();
            List<String> order = List.of();
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                p.nextToken();
                switch (field) {
                    case "installation" -> installation = installation(p);
                    case "warnings" -> warnings = strings(p);
                    case "order" -> order = strings(p);
                    default -> throw unexpected("unknown field \"" + field + "\" in an install result");
                }
            }
            return new InstallResult(required(installation, "installation"), warnings, order);
        });
    }

    /** {@code POST /v1/installations/{name}/upgrade}'s answer. */
    static UpgradeResult upgradeResult(byte[] body) {
        return read(body, p -> {
            InstallationView installation = null;
            String previous = null;
            List<String> order = List.of();
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                p.nextToken();
                switch (field) {
                    case "installation" -> installation = installation(p);
                    case "previous_version" -> previous = string(p);
                    case "order" -> order = strings(p);
                    default -> throw unexpected("unknown field \"" + field + "\" in an upgrade result");
                }
            }
            return new UpgradeResult(required(installation, "installation"), previous, order);
        });
    }

    /** One installation; the parser is on its START_OBJECT. */
    private static InstallationView installation(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT);
        String name = null, repository = null, version = null, digest = null, source = null, target = null;
        String installedAt = null;
        Optional<String> signedBy = Optional.empty(), iface = Optional.empty(), netns = Optional.empty();
        Optional<String> cgroup = Optional.empty();
        Optional<TrafficDirection> direction = Optional.empty();
        Optional<TcMode> tcMode = Optional.empty();
        HookKind hook = null;
        List<String> programs = List.of(), proceedOn = List.of();
        int priority = 0, generation = 0;
        boolean forced = false;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            p.nextToken();
            switch (field) {
                case "name" -> name = string(p);
                case "repository" -> repository = string(p);
                case "version" -> version = string(p);
                case "digest" -> digest = string(p);
                case "source" -> source = string(p);
                case "signed_by" -> signedBy = Optional.ofNullable(string(p));
                case "hook" -> hook = constant(HookKind.class, string(p));
                case "target" -> target = string(p);
                case "iface" -> iface = Optional.ofNullable(string(p));
                case "netns" -> netns = Optional.ofNullable(string(p));
                case "direction" -> direction = Optional.ofNullable(constant(TrafficDirection.class, string(p)));
                case "tc_mode" -> tcMode = Optional.ofNullable(constant(TcMode.class, string(p)));
                case "cgroup" -> cgroup = Optional.ofNullable(string(p));
                case "programs" -> programs = strings(p);
                case "priority" -> priority = integer(p);
                case "proceed_on" -> proceedOn = strings(p);
                case "forced" -> forced = bool(p);
                case "generation" -> generation = integer(p);
                case "installed_at" -> installedAt = string(p);
                default -> throw unexpected("unknown field \"" + field + "\" in an installation");
            }
        }
        return new InstallationView(name, repository, version, digest, source, signedBy, required(hook, "hook"), target,
                iface, netns, direction, tcMode, cgroup, programs, priority, proceedOn, forced, generation, installedAt);
    }

    /** {@code request} as {@code POST /v1/installations}'s body. */
    static byte[] write(InstallRequest request) {
        return write(g -> {
            g.writeStringField("reference", request.reference());
            g.writeObjectFieldStart("target");
            optional(g, "iface", request.target().iface());
            optional(g, "netns", request.target().netns());
            optional(g, "direction", request.target().direction().map(Enum::name));
            optional(g, "tc_mode", request.target().tcMode().map(Enum::name));
            optional(g, "cgroup", request.target().cgroup());
            g.writeEndObject();
            optional(g, "program", request.program());
            optional(g, "name", request.name());
            if (request.priority().isPresent()) {
                g.writeNumberField("priority", request.priority().get());
            }
            if (request.proceedOn().isPresent()) {
                strings(g, "proceed_on", request.proceedOn().get());
            }
            g.writeBooleanField("before_foreign", request.beforeForeign());
            g.writeBooleanField("force", request.force());
            trust(g, request.trust());
            g.writeObjectFieldStart("globals");
            for (Map.Entry<String, String> e : request.globals().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        });
    }

    /** {@code request} as {@code POST /v1/installations/{name}/upgrade}'s body. */
    static byte[] write(UpgradeRequest request) {
        return write(g -> {
            g.writeStringField("name", request.name());
            optional(g, "from", request.from());
            g.writeBooleanField("reset_maps", request.resetMaps());
            trust(g, request.trust());
            g.writeBooleanField("allow_downgrade", request.allowDowngrade());
        });
    }

    private static void trust(JsonGenerator g, Trust trust) throws IOException {
        g.writeObjectFieldStart("trust");
        optional(g, "registry", trust.registry());
        strings(g, "keys", trust.keys());
        g.writeBooleanField("allow_unsigned", trust.allowUnsigned());
        optional(g, "policy", trust.policy());
        g.writeBooleanField("allow_downgrade", trust.allowDowngrade());
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get());
        }
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);  // into memory: does not happen
        }
        return bytes.toByteArray();
    }

    private interface Reader<T> {
        T read(JsonParser p) throws IOException;
    }

    /** Reads an object document with {@code fields} (the parser is inside the object), and nothing after it. */
    private static <T> T read(byte[] body, Reader<T> fields) {
        try (JsonParser p = FACTORY.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            T value = fields.read(p);
            if (p.nextToken() != null) {
                throw unexpected("more after the document");
            }
            return value;
        } catch (IOException e) {
            throw unexpected(e.getMessage());
        }
    }

    private static <T> List<T> array(JsonParser p, Reader<T> element) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        expect(p, JsonToken.START_ARRAY);
        List<T> all = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            all.add(element.read(p));
        }
        return all;
    }

    private static List<String> strings(JsonParser p) throws IOException {
        return array(p, ClientJson::string);
    }

    private static String string(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t, JsonToken.VALUE_STRING);
        return p.getText();
    }

    private static int integer(JsonParser p) throws IOException {
        expect(p, JsonToken.VALUE_NUMBER_INT);
        // the token's digits, not getIntValue(): jackson's NumberInput compiles a regex in its class initialiser
        try {
            return Integer.parseInt(p.getText());
        } catch (NumberFormatException e) {
            throw unexpected(p.getText() + " is not an int");
        }
    }

    private static boolean bool(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw unexpected("expected true or false, got " + t);
        }
        return t == JsonToken.VALUE_TRUE;
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String name) {
        if (name == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw unexpected("\"" + name + "\" is not a " + type.getSimpleName());
        }
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw unexpected("no \"" + field + "\"");
        }
        return value;
    }

    private static void expect(JsonParser p, JsonToken wanted) {
        expect(p.currentToken(), wanted);
    }

    private static void expect(JsonToken got, JsonToken wanted) {
        if (got != wanted) {
            throw unexpected("expected " + wanted + ", got " + got);
        }
    }
}
