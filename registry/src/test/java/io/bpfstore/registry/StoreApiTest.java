package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store API over packages pushed through the distribution API in the test.
 *
 * <p>In both storage set-ups (embedded, PostgreSQL).
 */
@ParameterizedClass
@EnumSource(StorageSetup.class)
class StoreApiTest {
    @Parameter
    StorageSetup setup;

    @TempDir
    Path tmp;
    TestRegistry registry;
    String aliceKey;
    String bobKey;

    static final PackageImage.Spec COUNTER_1 = new PackageImage.Spec("examples", "xdp-counter", "1.0.0",
            "Counts packets per CPU", "GPL-2.0-only", Map.of("xdp_count", "xdp"), List.of("xdp"),
            List.of("bpf_map_lookup_elem"));
    static final PackageImage.Spec COUNTER_2 = new PackageImage.Spec("examples", "xdp-counter", "1.10.0",
            "Counts packets and bytes per CPU", "GPL-2.0-only", Map.of("xdp_count", "xdp"), List.of("xdp"),
            List.of("bpf_map_lookup_elem"));
    static final PackageImage.Spec COUNTER_PRE = new PackageImage.Spec("examples", "xdp-counter", "1.11.0-rc.1",
            "Counts packets and bytes per CPU", "GPL-2.0-only", Map.of("xdp_count", "xdp"), List.of("xdp"),
            List.of("bpf_map_lookup_elem"));
    static final PackageImage.Spec FILTER = new PackageImage.Spec("examples", "tc-filter", "0.1.0",
            "Drops packets to blocked ports", "MIT", Map.of("tc_drop", "tcx"), List.of("tcx_ingress"),
            List.of("bpf_skb_load_bytes"));
    static final PackageImage.Spec OPENS = new PackageImage.Spec("tracing", "open-trace", "2.0.0",
            "Traces file opens", "Apache-2.0", Map.of("trace_open", "kprobe"), List.of("kprobe"),
            List.of("bpf_get_current_pid_tgid", "bpf_map_lookup_elem"));

    @BeforeEach
    void start() throws Exception {
        Path data = tmp.resolve("data");
        aliceKey = TestRegistry.createPublisher(setup, data, "alice", "examples", "tracing");
        bobKey = TestRegistry.createPublisher(setup, data, "bob", "bobs");
        registry = TestRegistry.start(setup, data, TestRegistry.config(data));
        for (PackageImage.Spec s : List.of(COUNTER_1, COUNTER_2, COUNTER_PRE, FILTER, OPENS)) {
            publish(s, s.version());
        }
        // Stored but not indexed: a package under a non-semver tag, and an image without package labels.
        publish(FILTER, "latest");
        PackageImage plain = PackageImage.of(FILTER);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{}}".getBytes(StandardCharsets.UTF_8);
        String push = registry.token("repository:examples/plain:pull,push", "alice", aliceKey);
        registry.pushBlob("examples/plain", config, push);
        registry.pushBlob("examples/plain", plain.layer(), push);
        var m = TestRegistry.JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.set("config", PackageImage.descriptor("application/vnd.oci.image.config.v1+json", config));
        m.putArray("layers").add(PackageImage.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", plain.layer()));
        assertEquals(201, registry.send("PUT", "/v2/examples/plain/manifests/1.0.0", push,
                "application/vnd.oci.image.manifest.v1+json", TestRegistry.JSON.writeValueAsBytes(m)).statusCode());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private void publish(PackageImage.Spec s, String tag) throws Exception {
        String repo = s.namespace() + "/" + s.name();
        HttpResponse<byte[]> r = registry.push(repo, tag, PackageImage.of(s),
                registry.token("repository:" + repo + ":pull,push", "alice", aliceKey));
        assertEquals(201, r.statusCode(), new String(r.body()));
    }

    private JsonNode search(String query) throws Exception {
        return registry.getJson("/api/v1/search?" + query);
    }

    private static List<String> names(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.path("results").forEach(r -> out.add(r.path("namespace").asText() + "/" + r.path("name").asText()
                + "@" + r.path("version").asText()));
        return out;
    }

    private static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void searchByTextAndFilters() throws Exception {
        JsonNode all = search("");
        assertEquals(3, all.path("total").asLong(), "plain image and non-semver tags are not indexed");
        assertEquals(List.of("examples/xdp-counter@1.10.0"), names(search("q=counter")),
                "latest by semver precedence, not lexical order; pre-releases rank below");
        assertEquals(List.of("examples/xdp-counter@1.10.0"), names(search("q=COUNT+bytes")), "prefix, all words");
        assertEquals(List.of("tracing/open-trace@2.0.0"), names(search("q=tracing")), "namespace is searched");
        assertEquals(List.of("examples/tc-filter@0.1.0"), names(search("type=tcx")));
        assertEquals(List.of("examples/tc-filter@0.1.0"), names(search("hook=tcx_ingress")));
        assertEquals(List.of("tracing/open-trace@2.0.0"), names(search("helper=bpf_get_current_pid_tgid")));
        assertEquals(List.of("examples/tc-filter@0.1.0"), names(search("license=mit")));
        assertEquals(List.of(), names(search("q=counter&type=kprobe")));
        assertEquals(2, names(search("helper=bpf_map_lookup_elem")).size());
        JsonNode hit = search("q=counter").path("results").path(0);
        assertEquals("GPL-2.0-only", hit.path("license").asText());
        assertEquals("xdp", hit.path("program_types").path(0).asText());
        assertTrue(hit.path("digest").asText().startsWith("sha256:"));
        JsonNode page2 = search("per_page=1&page=2");
        assertEquals(3, page2.path("total").asLong());
        assertEquals(1, page2.path("results").size());
        assertEquals(0, search("per_page=1&page=4").path("results").size());
        assertEquals(400, registry.send("GET", "/api/v1/search?page=0", null, null, null).statusCode());
        assertEquals(400, registry.send("GET", "/api/v1/search?per_page=abc", null, null, null).statusCode());
        assertEquals(400, registry.send("GET", "/api/v1/search?per_page=1000", null, null, null).statusCode());
    }

    @Test
    void injectionLookingSearchTermsAreJustText() throws Exception {
        for (String evil : List.of("' OR 1=1 --", "\"", "*", "counter\" OR \"x", "NEAR(a b)", "%", "_", "\\",
                "'; DROP TABLE packages; --", "counter) OR (1", "x' UNION SELECT hash FROM api_tokens --",
                "name:counter", "^counter", "-counter", "{counter}")) {
            HttpResponse<byte[]> r = registry.send("GET", "/api/v1/search?q=" + q(evil), null, null, null);
            assertEquals(200, r.statusCode(), evil + ": " + new String(r.body()));
            JsonNode body = TestRegistry.json(r);
            for (JsonNode hit : body.path("results")) {
                assertFalse(hit.toString().contains("api_tokens"), evil);
            }
            for (String filter : List.of("type", "hook", "helper", "license")) {
                JsonNode f = search(filter + "=" + q(evil));
                assertEquals(0, f.path("total").asLong(), filter + "=" + evil);
            }
        }
        // Terms that contain a real word still match it, as text; nothing else changed.
        assertEquals(List.of("examples/xdp-counter@1.10.0"), names(search("q=" + q("counter'; --"))));
        assertEquals(List.of("examples/xdp-counter@1.10.0"), names(search("q=" + q("\"counter*\""))));
        assertEquals(0, search("q=" + q("' OR 1=1 --")).path("total").asLong());
        assertEquals(3, search("").path("total").asLong(), "the index is intact");
    }

    @Test
    void packageVersionAndPublisherEndpoints() throws Exception {
        JsonNode p = registry.getJson("/api/v1/packages/examples/xdp-counter");
        assertEquals("1.10.0", p.path("latest").asText());
        assertEquals("Counts packets and bytes per CPU", p.path("description").asText());
        List<String> versions = new ArrayList<>();
        p.path("versions").forEach(v -> versions.add(v.path("version").asText()));
        assertEquals(List.of("1.11.0-rc.1", "1.10.0", "1.0.0"), versions);
        JsonNode v = registry.getJson("/api/v1/packages/examples/xdp-counter/1.0.0");
        assertEquals("xdp-counter", v.path("name").asText());
        assertEquals("Counts packets per CPU", v.path("description").asText());
        assertEquals("xdp", v.path("programs").path(0).path("type").asText());
        assertEquals(PackageImage.of(COUNTER_1).manifestDigest().toString(), v.path("digest").asText());
        assertFalse(v.path("yanked").asBoolean());
        assertTrue(v.has("published_at"));
        JsonNode pub = registry.getJson("/api/v1/publishers/alice");
        assertEquals("[\"examples\",\"tracing\"]", pub.path("namespaces").toString());
        assertEquals("[\"examples/tc-filter\",\"examples/xdp-counter\",\"tracing/open-trace\"]",
                pub.path("packages").toString());
        for (String missing : List.of("/api/v1/packages/examples/nope", "/api/v1/packages/examples/xdp-counter/9.9.9",
                "/api/v1/packages/examples/xdp-counter/latest", "/api/v1/publishers/nobody",
                "/api/v1/packages/..%2F..%2Fetc/passwd", "/api/v1/nothing")) {
            HttpResponse<byte[]> r = registry.send("GET", missing, null, null, null);
            assertEquals(404, r.statusCode(), missing);
            assertEquals("not_found", TestRegistry.json(r).path("error").path("code").asText(), missing);
        }
    }

    @Test
    void yankAndUnyankNeedPushRights() throws Exception {
        String path = "/api/v1/packages/examples/xdp-counter/1.10.0/yank";
        HttpResponse<byte[]> r = registry.send("POST", path, null, null, null);
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer realm="));
        assertEquals(403, registry.send("POST", path, bobKey, null, null).statusCode());
        assertEquals(401, registry.send("POST", path, "not-a-token", null, null).statusCode());
        assertEquals(405, registry.send("GET", path, aliceKey, null, null).statusCode());

        r = registry.send("POST", path, aliceKey, null, null);
        assertEquals(200, r.statusCode());
        assertTrue(TestRegistry.json(r).path("yanked").asBoolean());
        assertEquals(List.of("examples/xdp-counter@1.0.0"), names(search("q=counter")), "yanked leaves search");
        assertEquals("1.0.0", registry.getJson("/api/v1/packages/examples/xdp-counter").path("latest").asText());
        assertTrue(registry.getJson("/api/v1/packages/examples/xdp-counter/1.10.0").path("yanked").asBoolean());
        // Still pullable by tag.
        assertEquals(200, registry.send("GET", "/v2/examples/xdp-counter/manifests/1.10.0",
                registry.token("repository:examples/xdp-counter:pull", null, null), null, null).statusCode());

        String jwt = registry.token("repository:examples/xdp-counter:pull,push", "alice", aliceKey);
        r = registry.send("POST", "/api/v1/packages/examples/xdp-counter/1.10.0/unyank", jwt, null, null);
        assertEquals(200, r.statusCode());
        assertFalse(TestRegistry.json(r).path("yanked").asBoolean());
        assertEquals(List.of("examples/xdp-counter@1.10.0"), names(search("q=counter")));

        // Yanking every version removes the package from search but keeps its page.
        for (String version : List.of("1.0.0", "1.10.0", "1.11.0-rc.1")) {
            assertEquals(200, registry.send("POST", "/api/v1/packages/examples/xdp-counter/" + version + "/yank",
                    aliceKey, null, null).statusCode());
        }
        assertEquals(List.of(), names(search("q=counter")));
        assertTrue(registry.getJson("/api/v1/packages/examples/xdp-counter").path("latest").isNull());
        assertEquals(404, registry.send("POST", "/api/v1/packages/examples/xdp-counter/3.0.0/yank", aliceKey,
                null, null).statusCode());
    }

    @Test
    void manifestPullsCountDownloads() throws Exception {
        String pull = registry.token("repository:examples/tc-filter:pull", null, null);
        PackageImage image = PackageImage.of(FILTER);
        registry.send("GET", "/v2/examples/tc-filter/manifests/0.1.0", pull, null, null);
        registry.send("GET", "/v2/examples/tc-filter/manifests/" + image.manifestDigest(), pull, null, null);
        registry.send("HEAD", "/v2/examples/tc-filter/manifests/0.1.0", pull, null, null); // HEAD is not a download
        registry.http.send(HttpRequest.newBuilder(registry.uri("/v2/examples/tc-filter/manifests/latest"))
                .header("Authorization", "Bearer " + pull).build(), HttpResponse.BodyHandlers.discarding());
        // "latest" is the same manifest: a download of every version published as that digest.
        assertEquals(3, registry.getJson("/api/v1/packages/examples/tc-filter/0.1.0").path("downloads").asLong());
        assertEquals(3, registry.getJson("/api/v1/packages/examples/tc-filter").path("downloads").asLong());
        assertEquals(3, search("q=filter").path("results").path(0).path("downloads").asLong());
    }
}
