package io.bpfstore.agent.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.agent.api.AgentJson;
import io.bpfstore.agent.api.ApiException;
import io.bpfstore.agent.api.FollowRule;
import io.bpfstore.agent.api.Installations;
import io.bpfstore.install.api.DoctorResult;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.InstallResult;
import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.StatusResult;
import io.bpfstore.install.api.UpgradeRequest;
import io.bpfstore.install.api.UpgradeResult;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The agent's API over its unix socket. Every method throws {@link ApiException} with the agent's status and
 * one-line error, or 503 when the agent cannot be reached.
 */
public final class AgentClient implements Installations {
    /** The environment variable naming the socket. */
    public static final String SOCKET_ENV = "BPFSTORE_AGENT_SOCKET";
    /** The default socket. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/bpfstore/agent.sock");

    private final Path socket;
    /** A connection made by {@link #connected} and not used yet: the first exchange takes it. */
    private final AtomicReference<SocketChannel> opened;

    /** A client of the agent on {@code socket}. */
    public AgentClient(Path socket) {
        this(socket, null);
    }

    private AgentClient(Path socket, SocketChannel opened) {
        this.socket = socket;
        this.opened = new AtomicReference<>(opened);
    }

    /** The socket {@code env} names ({@value #SOCKET_ENV}), else the default. */
    public static Path socket(Map<String, String> env) {
        return Optional.ofNullable(env.get(SOCKET_ENV)).filter(s -> !s.isBlank()).map(Path::of).orElse(DEFAULT_SOCKET);
    }

    /** A client of the agent {@code env} names, if its socket answers. */
    public static Optional<AgentClient> ifRunning(Map<String, String> env) {
        Path socket = socket(env);
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        AgentClient client = new AgentClient(socket);
        try {
            client.exchange("GET", "/v1/ping", null);
            return Optional.of(client);
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    /**
     * A client of the agent {@code env} names, if its socket takes a connection; that connection, unused, carries
     * the client's first exchange. Cheaper than {@link #ifRunning} by a whole exchange: a socket file nobody listens
     * on (an agent that stopped) refuses the connection, and an agent that accepts it answers the first request; the
     * CLI's agent shortcut decides with it, before it has sent or printed anything.
     */
    public static Optional<AgentClient> connected(Map<String, String> env) {
        Path socket = socket(env);
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new AgentClient(socket, UnixHttp.connect(socket)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Readies this client's JSON reading and writing (class initialisation), for a caller with a moment to spare
     * while {@link #connected} runs on another thread.
     */
    public static void prepare() {
        ClientJson.prepare();
    }

    /** The socket. */
    public Path socket() {
        return socket;
    }

    /** {@code GET /v1/ping}: who the agent takes the caller to be. */
    public JsonNode ping() {
        return call("GET", "/v1/ping", null);
    }

    @Override
    public List<InstallationView> list() {
        return ClientJson.installations(exchange("GET", "/v1/installations", null));
    }

    @Override
    public StatusResult status(String name) {
        return read(call("GET", "/v1/installations/" + encode(name), null), new TypeReference<>() { });
    }

    @Override
    public InstallResult install(InstallRequest request) {
        return ClientJson.installResult(exchange("POST", "/v1/installations", ClientJson.write(request)));
    }

    @Override
    public UpgradeResult upgrade(UpgradeRequest request) {
        String id = request.name().split("@", 2)[0];
        return ClientJson.upgradeResult(exchange("POST", "/v1/installations/" + encode(id) + "/upgrade",
                ClientJson.write(request)));
    }

    @Override
    public void uninstall(String name) {
        exchange("DELETE", "/v1/installations/" + encode(name), null);
    }

    @Override
    public DoctorResult doctor(boolean repair) {
        return read(repair ? call("POST", "/v1/doctor/repair", Map.of()) : call("GET", "/v1/doctor", null),
                new TypeReference<>() { });
    }

    /** {@code GET /v1/inventory}. */
    public JsonNode inventory() {
        return call("GET", "/v1/inventory", null);
    }

    /** {@code POST /v1/check}: the clash report as JSON, with the text lines. */
    public JsonNode check(io.bpfstore.agent.api.CheckRequest request) {
        return call("POST", "/v1/check", request);
    }

    /** {@code GET /v1/follow}. */
    public JsonNode followRules() {
        return call("GET", "/v1/follow", null);
    }

    /** {@code PUT /v1/follow/{name}}. */
    public JsonNode follow(String name, FollowRule rule) {
        return call("PUT", "/v1/follow/" + encode(name), rule);
    }

    /** {@code DELETE /v1/follow/{name}}. */
    public JsonNode unfollow(String name) {
        return call("DELETE", "/v1/follow/" + encode(name), null);
    }

    /**
     * {@code GET /v1/events}: each event (a JSON object) to {@code events}; with {@code follow}, keeps reading until
     * the agent stops or the thread is interrupted.
     */
    public void events(boolean follow, Optional<String> installation, Consumer<JsonNode> events) {
        lines("/v1/events?follow=" + follow + installation.map(i -> "&installation=" + encode(i)).orElse(""), events);
    }

    /**
     * {@code GET /v1/installations/{name}/data}: each map entry (or, with {@code follow}, each record as programs
     * write it, until the agent stops or the thread is interrupted) as a JSON object to {@code lines}; the objects are
     * {@code InstallationData}'s.
     */
    public void data(String name, Optional<String> map, boolean follow, Consumer<JsonNode> lines) {
        lines("/v1/installations/" + encode(name) + "/data?follow=" + follow + map.map(m -> "&map=" + encode(m))
                .orElse(""), lines);
    }

    /** A GET whose body is JSON lines; empty lines (keep-alives) are skipped. */
    private void lines(String path, Consumer<JsonNode> lines) {
        try {
            UnixHttp.Response r = UnixHttp.stream(connection(), path, line -> {
                if (!line.isBlank()) {
                    try {
                        lines.accept(AgentJson.mapper().readTree(line));
                    } catch (IOException e) {
                        throw new ApiException(502, "the agent sent a malformed line: " + e.getMessage());
                    }
                }
            });
            check(r);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private JsonNode call(String method, String path, Object body) {
        try {
            return AgentJson.mapper().readTree(exchange(method, path,
                    body == null ? null : AgentJson.mapper().writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new ApiException(502, "the agent answered with an unexpected document: " + e.getMessage());
        }
    }

    /**
     * One exchange: the response body of a 2xx answer. The install family's calls read and write their bodies
     * with {@link ClientJson} (jackson-core only), so a CLI command through the agent loads no databind.
     */
    private byte[] exchange(String method, String path, byte[] body) {
        try {
            UnixHttp.Response r = UnixHttp.exchange(connection(), method, path, body);
            check(r);
            return r.body();
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** The connection {@link #connected} made, the first time; a new one after that. */
    private SocketChannel connection() throws IOException {
        SocketChannel ch = opened.getAndSet(null);
        return ch != null ? ch : UnixHttp.connect(socket);
    }

    private static <T> T read(JsonNode tree, TypeReference<T> type) {
        try {
            return AgentJson.mapper().readerFor(type).readValue(tree);
        } catch (IOException e) {
            throw new ApiException(502, "the agent answered with an unexpected document: " + e.getMessage());
        }
    }

    private static void check(UnixHttp.Response r) {
        if (r.status() / 100 == 2) {
            return;
        }
        // the agent's one-line JSON error, else (not JSON) the text as it came
        String message = ClientJson.error(r.body()).orElse(new String(r.body(), StandardCharsets.UTF_8).strip());
        throw new ApiException(r.status(), message.isEmpty() ? "the agent answered " + r.status() : message);
    }

    private ApiException unreachable(IOException e) {
        return new ApiException(503, "cannot reach the agent at " + socket + ": " + e.getMessage(), e);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
