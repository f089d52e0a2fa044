package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.registry.server.RegistryServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
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
 * Text search over a catalog of several program types, attach types, helpers and map types: a word naming one finds
 * every package that has it, and such packages rank above those that only mention the word in their description,
 * whatever their downloads; pages run across the two tiers; a database made before the index had these words is
 * upgraded at open.
 *
 * <p>In both storage set-ups (embedded, PostgreSQL); the upgrade is the embedded store's (PostgreSQL's schema
 * had the kinds from its first migration).
 */
@ParameterizedClass
@EnumSource(StorageSetup.class)
class SearchKindsTest {
    @Parameter
    StorageSetup setup;

    @TempDir
    Path tmp;
    TestRegistry registry;
    String key;

    static final PackageImage.Spec FIREWALL = new PackageImage.Spec("net", "firewall", "1.0.0",
            "Blocks addresses", "MIT", Map.of("fw", "xdp"), List.of("xdp"), List.of("bpf_map_lookup_elem"));
    static final PackageImage.Spec SHAPER = new PackageImage.Spec("net", "shaper", "1.0.0",
            "Shapes egress traffic", "MIT", Map.of("shape", "tcx"), List.of("tcx_ingress"),
            List.of("bpf_skb_load_bytes"));
    static final PackageImage.Spec OPENS = new PackageImage.Spec("trace", "opens", "1.0.0",
            "Traces file opens", "MIT", Map.of("trace_open", "kprobe"), List.of("kprobe"),
            List.of("bpf_get_current_pid_tgid", "bpf_ringbuf_output"));
    static final PackageImage.Spec EXECS = new PackageImage.Spec("trace", "execs", "1.0.0",
            "Reports process starts", "MIT", Map.of("exec", "tracepoint"), List.of("tracepoint"),
            List.of("bpf_ringbuf_reserve"));
    static final PackageImage.Spec GUIDE = new PackageImage.Spec("docs", "guide", "1.0.0",
            "Explains xdp, lru_hash maps and the ringbuf in depth", "MIT", Map.of("probe", "kprobe"),
            List.of("kprobe"), List.of("bpf_map_lookup_elem"));

    @BeforeEach
    void start() throws Exception {
        Path data = tmp.resolve("data");
        key = TestRegistry.createPublisher(setup, data, "alice", "net", "trace", "docs");
        registry = TestRegistry.start(setup, data, TestRegistry.config(data));
        publish(FIREWALL, Map.of("blocked", "hash"), 0);
        publish(SHAPER, Map.of("rates", "lru_hash"), 1);
        publish(OPENS, Map.of("events", "ringbuf"), 2);
        publish(EXECS, Map.of("events", "ringbuf", "seen", "percpu_array"), 3);
        publish(GUIDE, Map.of("notes", "array"), 9); // the most downloaded: it mentions everything
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private void publish(PackageImage.Spec s, Map<String, String> maps, int downloads) throws Exception {
        String repo = s.namespace() + "/" + s.name();
        String push = registry.token("repository:" + repo + ":pull,push", "alice", key);
        assertEquals(201, registry.push(repo, s.version(), PackageImage.of(s, maps), push).statusCode());
        for (int i = 0; i < downloads; i++) {
            assertEquals(200, registry.send("GET", "/v2/" + repo + "/manifests/" + s.version(), push, null, null)
                    .statusCode());
        }
    }

    private List<String> search(String query) throws Exception {
        return names(registry.getJson("/api/v1/search?" + query));
    }

    private static List<String> names(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.path("results").forEach(r -> out.add(r.path("namespace").asText() + "/" + r.path("name").asText()));
        return out;
    }

    private static String q(String text) {
        return "q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void aKindFindsEveryPackageThatHasItAndOutranksDescriptions() throws Exception {
        assertKindSearches();
    }

    private void assertKindSearches() throws Exception {
        // program type: the XDP package without "xdp" in its name first, the guide that only mentions it after
        assertEquals(List.of("net/firewall", "docs/guide"), search(q("xdp")));
        assertEquals(List.of("docs/guide", "trace/opens"), search(q("kprobe")), "both kprobe: by downloads");
        // attach type, helper (spelled as bpftool and libbpf spell them: underscores split words on both sides)
        assertEquals(List.of("net/shaper"), search(q("tcx_ingress")));
        assertEquals(List.of("net/shaper"), search(q("bpf_skb_load_bytes")));
        assertEquals(List.of("docs/guide", "net/firewall"), search(q("bpf_map_lookup_elem")));
        // map types
        assertEquals(List.of("trace/execs", "trace/opens", "docs/guide"), search(q("ringbuf")),
                "the ring buffer users first (execs has a ringbuf map, opens calls bpf_ringbuf_output)");
        assertEquals(List.of("net/shaper", "docs/guide"), search(q("lru_hash")));
        assertEquals(List.of("trace/execs"), search(q("percpu_array")));
        // a kind and a name word together are still the first tier
        assertEquals(List.of("trace/opens"), search(q("kprobe opens")));
        // pages run across the tiers, and the total counts both
        JsonNode second = registry.getJson("/api/v1/search?" + q("xdp") + "&per_page=1&page=2");
        assertEquals(2, second.path("total").asLong());
        assertEquals(List.of("docs/guide"), names(second));
        JsonNode ringbufTail = registry.getJson("/api/v1/search?" + q("ringbuf") + "&per_page=2&page=2");
        assertEquals(List.of("docs/guide"), names(ringbufTail));
        // filters keep their meaning: exact, on the latest version
        assertEquals(List.of("docs/guide"), search(q("xdp") + "&type=kprobe"));
        assertEquals(List.of("trace/opens"), search("type=kprobe&helper=bpf_ringbuf_output"));
        // the web UI's search is the same index
        String html = new String(registry.send("GET", "/search?" + q("xdp"), null, null, null).body(),
                StandardCharsets.UTF_8);
        assertEquals(true, html.indexOf("net/firewall") > 0 && html.indexOf("net/firewall") < html.indexOf("docs/guide"),
                html);
    }

    @Test
    void aDatabaseFromBeforeKindsIsUpgradedAtOpen() throws Exception {
        assumeTrue(setup == StorageSetup.EMBEDDED, "upgrading a SQLite database made before kinds: embedded only");
        registry.close();
        // Back to the previous schema: no map_types column, a search table without kinds.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data/registry.db"));
             Statement st = c.createStatement()) {
            st.execute("ALTER TABLE package_versions DROP COLUMN map_types");
            st.execute("DROP TABLE package_search");
            st.execute("CREATE VIRTUAL TABLE package_search USING fts5(namespace, name, description, facets, "
                    + "content='', contentless_delete=1, tokenize='unicode61')");
        }
        registry = TestRegistry.wrap(tmp.resolve("data"),
                RegistryServer.start(TestRegistry.config(tmp.resolve("data"))));
        assertKindSearches();
        assertEquals(5, registry.getJson("/api/v1/search").path("total").asLong());
    }
}
