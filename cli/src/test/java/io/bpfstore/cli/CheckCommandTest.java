package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.bytecode.Reportable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bpfstore check}: package sets from the example catalog, and the host-aware check against a foreign XDP
 * program that iproute2 attached in a test-created network namespace (the oracle for its id and name).
 */
class CheckCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "bst-" + ProcessHandle.current().pid() + "-check";
    private static final Pattern OURS = Pattern.compile("bst-(\\d+)-check");

    @TempDir
    static Path cache;

    private static String obj(String name) {
        return Cli.objectsDir().resolve(name).toString();
    }

    @BeforeAll
    static void setUp() {
        assertEquals("0", Cli.tool("id", "-u").strip(), "the host-aware check needs root (CI runs as root)");
        reapLeftovers();
        Cli.tool("ip", "netns", "add", NS);
        Cli.tool("ip", "-n", NS, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1");
        Cli.tool("ip", "-n", NS, "link", "set", "dev", "veth0", "xdp", "obj", obj("xdp_counter.o"), "sec", "xdp");
        Cli.tool("ip", "-n", NS, "link", "add", "veth2", "type", "veth", "peer", "name", "veth3");
        Cli.tool("ip", "netns", "exec", NS, "tc", "qdisc", "add", "dev", "veth2", "clsact");
        Cli.tool("ip", "netns", "exec", NS, "tc", "filter", "add", "dev", "veth2", "ingress", "bpf", "da", "obj",
                obj("tc_flow_bytes.o"), "sec", "tc");
    }

    @AfterAll
    static void tearDown() {
        // Deleting the namespace deletes its veth pair, which detaches and frees the XDP program.
        Cli.tool("ip", "netns", "del", NS);
        assertTrue(!Files.exists(Path.of("/run/netns", NS)), NS + " left behind");
    }

    /** Namespaces of earlier runs whose process is gone. */
    private static void reapLeftovers() {
        for (String line : Cli.tool("ip", "netns", "list").split("\n")) {
            Matcher m = OURS.matcher(line.split(" ")[0]);
            if (m.matches() && !Files.exists(Path.of("/proc", m.group(1)))) {
                Cli.tool("ip", "netns", "del", line.split(" ")[0]);
            }
        }
    }

    private static JsonNode json(Cli.Result r) throws Exception {
        return JSON.readTree(r.out());
    }

    private static List<JsonNode> findings(JsonNode report, String kind) {
        List<JsonNode> out = new ArrayList<>();
        report.get("findings").forEach(f -> {
            if (f.get("class").asText().equals(kind)) {
                out.add(f);
            }
        });
        return out;
    }

    @Test
    void legacyAttachedForeignXdpProgramWouldBeSilentlyReplaced() throws Exception {
        JsonNode link = JSON.readTree(Cli.tool("ip", "-j", "-n", NS, "link", "show", "dev", "veth0")).get(0);
        JsonNode prog = link.path("xdp").path("prog");
        assertTrue(prog.has("id"), "iproute2 shows no XDP program on veth0: " + link);
        int id = prog.get("id").asInt();
        String name = prog.get("name").asText();

        Cli.Result r = Cli.run("check", "--host", "--netns", NS, "--iface", "veth0", "--cache-dir", cache.toString(),
                "-o", "json", obj("xdp_firewall.o"));
        assertEquals(CheckCommand.CLASH, r.exit(), r.err() + r.out());
        // iproute2 attaches through netlink, not a link: a legacy attach would replace it without an error.
        List<JsonNode> hook = findings(json(r), "silent-replacement");
        assertEquals(1, hook.size(), r.out());
        assertEquals(1, json(r).get("findings").size(), r.out());
        JsonNode f = hook.getFirst();
        assertEquals("error", f.get("severity").asText());
        boolean namesForeign = false;
        for (JsonNode s : f.get("subjects")) {
            namesForeign |= s.get("kind").asText().equals("foreign_program") && s.get("id").asInt() == id
                    && s.get("name").asText().equals(name);
        }
        assertTrue(namesForeign, "finding does not name program " + id + " '" + name + "': " + f);
        assertTrue(f.get("fix").asText().contains("detach program " + id + " '" + name + "'"), f.toString());

        Cli.Result text = Cli.run("check", "--host", "--netns", NS, "--iface", "veth0", "--cache-dir",
                cache.toString(), obj("xdp_firewall.o"));
        assertEquals(CheckCommand.CLASH, text.exit());
        assertTrue(text.out().contains("program " + id + " '" + name + "'"), text.out());
    }

    @Test
    void freeInterfaceAndAFittingKernelGiveNoFinding() throws Exception {
        Cli.Result r = Cli.run("check", "--host", "--netns", NS, "--iface", "veth1", "--cache-dir", cache.toString(),
                "-o", "json", obj("xdp_firewall.o"), obj("tc_port_drop.o"));
        assertEquals(0, r.exit(), r.err() + r.out());
        assertEquals(0, json(r).get("findings").size(), r.out());
    }

    @Test
    void foreignTcFilterOnTheHookIsAChainOrderWarning() throws Exception {
        String filters = Cli.tool("ip", "netns", "exec", NS, "tc", "-j", "filter", "show", "dev", "veth2", "ingress");
        Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(filters);
        assertTrue(id.find(), "tc shows no bpf filter on veth2: " + filters);
        Cli.Result r = Cli.run("check", "--host", "--netns", NS, "--iface", "veth2", "--cache-dir", cache.toString(),
                "-o", "json", obj("tc_port_drop.o"));
        assertEquals(0, r.exit(), r.err() + r.out());
        List<JsonNode> chain = findings(json(r), "chain-order");
        assertEquals(1, chain.size(), r.out());
        assertTrue(chain.getFirst().toString().contains("\"id\":" + id.group(1) + ","), chain.getFirst().toString());
        assertEquals(1, json(r).get("findings").size(), r.out());
    }

    @Test
    void mapAlreadyPinnedWithAnotherDefinitionIsAnError(@TempDir Path src) throws Exception {
        Path root = Path.of("/tmp", NS + "-pins");
        Files.createDirectories(root);
        Cli.tool("mount", "-t", "bpf", "bpf", root.toString());
        try {
            Path pin = root.resolve("shared_stats");
            Cli.tool("bpftool", "map", "create", pin.toString(), "type", "hash", "key", "4", "value", "16",
                    "entries", "64", "name", "shared_stats");
            int id = JSON.readTree(Cli.tool("bpftool", "-j", "map", "show", "pinned", pin.toString()))
                    .get("id").asInt();
            Path c = src.resolve("pin_a.c");
            Path o = src.resolve("pin_a.o");
            Files.writeString(c, """
                    #include <linux/bpf.h>
                    #include <bpf/bpf_helpers.h>
                    char LICENSE[] SEC("license") = "GPL";
                    struct {
                    	__uint(type, BPF_MAP_TYPE_HASH);
                    	__uint(max_entries, 64);
                    	__uint(pinning, LIBBPF_PIN_BY_NAME);
                    	__type(key, __u32);
                    	__type(value, __u64);
                    } shared_stats SEC(".maps");
                    SEC("tracepoint/syscalls/sys_enter_getpid")
                    int pin_a(void *ctx)
                    {
                    	__u32 k = 1;
                    	return bpf_map_lookup_elem(&shared_stats, &k) != 0;
                    }
                    """);
            Cli.tool("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-c", c.toString(),
                    "-o", o.toString());
            Cli.Result r = Cli.run("check", "--host", "--pin-root", root.toString(), "--cache-dir", cache.toString(),
                    "-o", "json", o.toString());
            assertEquals(CheckCommand.CLASH, r.exit(), r.err() + r.out());
            List<JsonNode> pinned = findings(json(r), "pinned-map");
            assertEquals(1, pinned.size(), r.out());
            assertTrue(pinned.getFirst().toString().contains("{\"kind\":\"foreign_map\",\"id\":" + id + ","),
                    pinned.getFirst().toString());
        } finally {
            Cli.tool("umount", root.toString());
            Files.delete(root);
        }
    }

    @Test
    void everyCatalogObjectFitsThisKernel() throws Exception {
        // The oracle: examples/check-load.sh has the kernel load every one of these objects. One check of them all
        // (the host is read once); only kernel-fit findings matter here.
        List<String> args = new ArrayList<>(List.of("check", "--host", "--cache-dir", cache.toString(), "-o", "json"));
        try (var files = Files.list(Cli.objectsDir())) {
            files.filter(f -> f.toString().endsWith(".o")).sorted().forEach(p -> args.add(p.toString()));
        }
        assertTrue(args.size() > 10, "the example catalog is missing: " + args);
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(List.of(), findings(json(r), "kernel-fit"), r.err() + r.out());
    }

    @Test
    void textReportNamesTheHiddenTraffic() {
        Cli.Result r = Cli.run("check", obj("xdp_firewall.o"), obj("xdp_counter.o"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("warning [semantic-overlap]"), r.out());
        assertTrue(r.out().contains("IPv4 src in map deny_src_v4 → XDP_DROP"), r.out());
        assertTrue(r.out().contains("fix: attach xdp_count"), r.out());
    }

    @Test
    void errorsGiveExitTwoAndJson() throws Exception {
        Cli.Result r = Cli.run("check", "-o", "json", obj("tc_flow_bytes.o"), obj("tc_port_drop.o"));
        assertEquals(CheckCommand.CLASH, r.exit(), r.err());
        JsonNode report = json(r);
        assertEquals(1, report.get("errors").asInt(), r.out());
        JsonNode f = findings(report, "semantic-overlap").getFirst();
        List<String> programs = new ArrayList<>();
        f.get("subjects").forEach(s -> {
            if (s.get("kind").asText().equals("program")) {
                programs.add(s.get("name").asText());
            }
        });
        assertEquals(List.of("tc_flow_account", "tc_drop_port"), programs);
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        Cli.Result r = Cli.run("check", "--netns", NS, obj("xdp_counter.o"));
        assertEquals(Reportable.USAGE, r.exit());
        assertTrue(r.err().contains("need --host"), r.err());
        Cli.Result size = Cli.run("check", "--budget", "lots", obj("xdp_counter.o"));
        assertEquals(Reportable.USAGE, size.exit());
        assertTrue(size.err().contains("--budget: not a size"), size.err());
        Cli.Result missing = Cli.run("check", "/nonexistent/x.o");
        assertEquals(Reportable.ERROR, missing.exit());
        Cli.Result noIf = Cli.run("check", "--host", "--netns", NS, "--iface", "nope0", "--cache-dir",
                cache.toString(), obj("xdp_counter.o"));
        assertEquals(Reportable.ERROR, noIf.exit(), noIf.out());
        assertTrue(noIf.err().contains("no interface nope0"), noIf.err());
    }
}
