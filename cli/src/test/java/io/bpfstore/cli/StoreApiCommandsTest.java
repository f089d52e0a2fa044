package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code search}, {@code show}, {@code yank} and {@code login} against a small in-test server (com.sun.net.httpserver
 * on 127.0.0.1) that follows the store API and token flow of /work/store-contract.md; the real registry server is
 * built elsewhere, so this fake is the only server of that API available to this module's tests.
 */
class StoreApiCommandsTest {
    private static final String TOKEN = "tok-123";
    private HttpServer server;
    private final Map<String, Boolean> yanked = new ConcurrentHashMap<>(Map.of("1.0.0", false, "1.1.0", false));
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        System.setProperty("bpfstore.config", dir.resolve("config.yaml").toString());
    }

    @AfterEach
    void stop() {
        server.stop(0);
        System.clearProperty("bpfstore.config");
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private ObjectNode versionDoc(String version) {
        ObjectNode v = Json.mapper().createObjectNode();
        v.put("name", "xdp-counter").put("namespace", "examples").put("version", version)
                .put("description", "Counts packets per CPU.").put("license", "GPL-2.0-only");
        v.putArray("permissions").add("net:xdp");
        ObjectNode req = v.putObject("requirements");
        req.putArray("program_types").add("xdp");
        req.putArray("map_types").add("percpu_array");
        req.putArray("helpers").add("bpf_map_lookup_elem");
        req.putArray("kfuncs");
        req.putArray("attach_types").add("xdp");
        req.put("btf", true);
        ObjectNode prog = v.putArray("programs").addObject();
        prog.put("name", "xdp_count").put("section", "xdp").put("type", "xdp").put("attach_type", "xdp")
                .put("instructions", 122);
        prog.putArray("helpers").add("bpf_map_lookup_elem");
        v.putArray("maps").addObject().put("name", "counters").put("type", "percpu_array").put("key_size", 4)
                .put("value_size", 16).put("max_entries", 256).put("flags", 0);
        v.put("digest", "sha256:" + "ab".repeat(32)).put("yanked", yanked.get(version))
                .put("published_at", "2026-01-0" + (version.equals("1.0.0") ? 1 : 2) + "T00:00:00Z").put("downloads", 7);
        return v;
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String auth = x.getRequestHeaders().getFirst("Authorization");
            requests.add(x.getRequestMethod() + " " + x.getRequestURI());
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            if (path.equals("/token")) {
                String basic = "Basic " + Base64.getEncoder().encodeToString(("examples:" + TOKEN).getBytes(StandardCharsets.UTF_8));
                if (!basic.equals(auth)) {
                    error(x, 401, "UNAUTHORIZED", "invalid credentials");
                } else {
                    send(x, 200, "{\"token\":\"jwt-1\",\"access_token\":\"jwt-1\",\"expires_in\":300,\"issued_at\":\"2026-01-01T00:00:00Z\"}");
                }
            } else if (path.equals("/v2/")) {
                if ("Bearer jwt-1".equals(auth)) {
                    send(x, 200, "{}");
                } else {
                    x.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + url() + "/token\",service=\"bpfstore\"");
                    send(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
                }
            } else if (path.equals("/api/v1/search")) {
                ObjectNode doc = Json.mapper().createObjectNode();
                ArrayNode results = Json.mapper().createArrayNode();
                String text = q.getOrDefault("q", "");
                boolean typeOk = !q.containsKey("type") || q.get("type").equals("xdp");
                String latest = yanked.get("1.1.0") ? "1.0.0" : "1.1.0";
                if (typeOk && "xdp counter packets".contains(text.toLowerCase()) && !(yanked.get("1.0.0") && yanked.get("1.1.0"))) {
                    ObjectNode r = results.addObject();
                    r.put("namespace", "examples").put("name", "xdp-counter").put("version", latest)
                            .put("description", "Counts packets per CPU.").put("license", "GPL-2.0-only");
                    r.putArray("program_types").add("xdp");
                    r.put("downloads", 14).put("digest", "sha256:" + "ab".repeat(32));
                }
                doc.put("total", results.size());
                doc.set("results", results);
                send(x, 200, doc.toString());
            } else if (path.equals("/api/v1/packages/examples/xdp-counter")) {
                ObjectNode doc = Json.mapper().createObjectNode();
                doc.put("namespace", "examples").put("name", "xdp-counter").put("description", "Counts packets per CPU.")
                        .put("latest", yanked.get("1.1.0") ? "1.0.0" : "1.1.0").put("downloads", 14);
                ArrayNode versions = doc.putArray("versions");
                for (String v : List.of("1.1.0", "1.0.0")) {
                    versions.addObject().put("version", v).put("digest", "sha256:" + "ab".repeat(32))
                            .put("yanked", yanked.get(v)).put("published_at", "2026-01-01T00:00:00Z").put("downloads", 7);
                }
                send(x, 200, doc.toString());
            } else if (path.matches("/api/v1/packages/examples/xdp-counter/[^/]+")) {
                String version = path.substring(path.lastIndexOf('/') + 1);
                if (!yanked.containsKey(version)) {
                    error(x, 404, "NOT_FOUND", "examples/xdp-counter has no version " + version);
                } else {
                    send(x, 200, versionDoc(version).toString());
                }
            } else if (path.matches("/api/v1/packages/examples/xdp-counter/[^/]+/(yank|unyank)")
                    && x.getRequestMethod().equals("POST")) {
                String[] parts = path.split("/");
                String version = parts[parts.length - 2];
                if (!("Bearer " + TOKEN).equals(auth) && !"Bearer jwt-1".equals(auth)) {
                    error(x, 401, "UNAUTHORIZED", "a token with push rights on examples is required");
                } else if (!yanked.containsKey(version)) {
                    error(x, 404, "NOT_FOUND", "no version " + version);
                } else {
                    yanked.put(version, path.endsWith("/yank"));
                    send(x, 200, "{\"yanked\":" + yanked.get(version) + "}");
                }
            } else {
                error(x, 404, "NOT_FOUND", "no such package");
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    private static void error(HttpExchange x, int status, String code, String message) throws IOException {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.putObject("error").put("code", code).put("message", message);
        send(x, status, doc.toString());
    }

    private static void send(HttpExchange x, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
    }

    private Cli.Result login(String token) {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream((token + "\n").getBytes(StandardCharsets.UTF_8)));
            return Cli.run("login", "--registry", url(), "--username", "examples", "--password-stdin");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void searchAsTextAndJson() throws IOException {
        Cli.Result text = Cli.run("search", "packets", "--type", "xdp", "--registry", url());
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().lines().anyMatch(l -> l.split("\\s+").length >= 5 && List.of(l.split("\\s+")).subList(0, 5).equals(
                List.of("examples/xdp-counter", "1.1.0", "xdp", "GPL-2.0-only", "14"))), text.out());
        assertTrue(requests.getLast().startsWith("GET /api/v1/search?q=packets&type=xdp&page=1&per_page=20"),
                requests.getLast());
        Cli.Result json = Cli.run("search", "packets", "--registry", url(), "--output", "json");
        JsonNode doc = Json.mapper().readTree(json.out());
        assertEquals(1, doc.path("total").asInt());
        assertEquals("xdp-counter", doc.path("results").path(0).path("name").asText());
        Cli.Result none = Cli.run("search", "packets", "--type", "kprobe", "--registry", url());
        assertTrue(none.out().contains("(none)") && none.out().contains("0 of 0 packages"), none.out());
    }

    @Test
    void showPackageAndVersion() throws IOException {
        Cli.Result pkg = Cli.run("show", "examples/xdp-counter", "--registry", url());
        assertEquals(0, pkg.exit(), pkg.err());
        assertTrue(pkg.out().contains("latest 1.1.0, 14 downloads"), pkg.out());
        Cli.Result version = Cli.run("show", "examples/xdp-counter@1.0.0", "--registry", url());
        assertEquals(0, version.exit(), version.err());
        assertTrue(version.out().contains("requires program types xdp; map types percpu_array; helpers "
                + "bpf_map_lookup_elem; kfuncs -; BTF yes"), version.out());
        assertTrue(version.out().lines().anyMatch(l -> l.matches("xdp_count +xdp +xdp +122 +bpf_map_lookup_elem")), version.out());
        JsonNode json = Json.mapper().readTree(Cli.run("show", "examples/xdp-counter@1.0.0", "--registry", url(),
                "-o", "json").out());
        assertEquals(versionDoc("1.0.0"), json);
        Cli.Result missing = Cli.run("show", "examples/xdp-counter@9.9.9", "--registry", url());
        assertEquals(1, missing.exit());
        assertEquals("bpfstore show: show examples/xdp-counter@9.9.9: NOT_FOUND — examples/xdp-counter has no "
                + "version 9.9.9 (HTTP 404)", missing.err().strip());
    }

    @Test
    void yankNeedsLoginThenHidesTheVersion() throws IOException {
        Cli.Result anonymous = Cli.run("yank", "examples/xdp-counter@1.1.0", "--registry", url());
        assertEquals(1, anonymous.exit());
        assertTrue(anonymous.err().contains("run bpfstore login"), anonymous.err());

        Cli.Result refused = login("wrong-token");
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("refused the credentials of examples"), refused.err());
        assertFalse(Files.exists(dir.resolve("credentials.yaml")), "refused credentials are not saved");

        Cli.Result ok = login(TOKEN);
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("now the default registry"), ok.out());
        Cli.Result byDefault = Cli.run("show", "examples/xdp-counter");
        assertEquals(0, byDefault.exit(), "login --registry made it the default: " + byDefault.err());
        Cli.Result yank = Cli.run("yank", "examples/xdp-counter@1.1.0", "--registry", url());
        assertEquals(0, yank.exit(), yank.err());
        assertEquals("examples/xdp-counter@1.1.0 is yanked", yank.out().strip());
        assertTrue(yanked.get("1.1.0"));
        assertTrue(Cli.run("show", "examples/xdp-counter", "--registry", url()).out().contains("latest 1.0.0"));
        Cli.Result undo = Cli.run("yank", "examples/xdp-counter@1.1.0", "--undo", "--registry", url());
        assertEquals("examples/xdp-counter@1.1.0 is not yanked", undo.out().strip());
        assertFalse(yanked.get("1.1.0"));
        Cli.Result noVersion = Cli.run("yank", "examples/xdp-counter", "--registry", url());
        assertEquals(2, noVersion.exit(), "a usage error");
        assertTrue(noVersion.err().contains("exact version"), noVersion.err());
    }
}
