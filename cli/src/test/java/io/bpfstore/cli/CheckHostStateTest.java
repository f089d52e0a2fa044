package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.install.HostViewReader;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.link.Attachment;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.Xdp;
import io.bpfstore.kernel.link.XdpOptions;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bpfstore check --host} against host state set up for real by the usual tools, in a test-created network
 * namespace, cgroup and bpffs (all named bst-PID-hoststate, removed afterwards, leftovers of dead runs reaped):
 * cgroup programs attached by bpftool without BPF_F_ALLOW_MULTI, with override and with multi; a flow dissector
 * attached by bpftool; a legacy tc filter added by tc at a known priority and handle. The tools' own listings are the
 * oracles for the ids and names the findings must carry.
 */
class CheckHostStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TAG = "bst-" + ProcessHandle.current().pid() + "-hoststate";
    private static final Pattern OURS = Pattern.compile("bst-(\\d+)-hoststate");
    private static final Path CGROUP2 = Path.of("/sys/fs/cgroup/unified");
    private static final Path PINS = Path.of("/tmp", TAG);
    private static final Path PARENT = CGROUP2.resolve(TAG);
    private static final Path APP = PARENT.resolve("app");
    private static final Path SCENARIOS = Path.of("..", "analysis", "src", "test", "c", "clash");

    @TempDir
    static Path work;

    @BeforeAll
    static void setUp() throws IOException {
        assertEquals("0", Cli.tool("id", "-u").strip(), "host-aware checks need root (CI runs as root)");
        assertTrue(Files.isDirectory(CGROUP2), "no cgroup v2 hierarchy at " + CGROUP2);
        reapLeftovers();
        Cli.tool("ip", "netns", "add", TAG);
        Cli.tool("ip", "-n", TAG, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1");
        Files.createDirectories(APP);
        Files.createDirectories(PINS);
        Cli.tool("mount", "-t", "bpf", "bpf", PINS.toString());
        Cli.tool("bpftool", "prog", "load", Cli.objectsDir().resolve("cgroup_firewall.o").toString(),
                PINS.resolve("cgfw").toString());
        // A second copy: "the package" when the kernel is asked to confirm what a finding claims.
        Cli.tool("bpftool", "prog", "load", Cli.objectsDir().resolve("cgroup_firewall.o").toString(),
                PINS.resolve("ours").toString());
    }

    /** Program ids bpftool lists on a cgroup hook ({@code effective}: those that run there, inherited included). */
    private static List<Integer> attachedIds(Path cg, boolean effective) throws IOException {
        List<Integer> ids = new ArrayList<>();
        List<String> cmd = new ArrayList<>(List.of("bpftool", "-j", "cgroup", "show", cg.toString()));
        if (effective) {
            cmd.add("effective");
        }
        for (JsonNode p : JSON.readTree(Cli.tool(cmd.toArray(String[]::new)))) {
            if (p.get("attach_type").asText().contains("egress")) {
                ids.add(p.get("id").asInt());
            }
        }
        return ids;
    }

    @AfterAll
    static void tearDown() throws IOException {
        try {
            for (Path cg : List.of(APP, PARENT)) {
                detachAll(cg);
            }
            Files.deleteIfExists(APP);
            Files.deleteIfExists(PARENT);
        } finally {
            Cli.tool("ip", "netns", "del", TAG);
            Cli.tool("umount", PINS.toString());
            Files.delete(PINS);
        }
        assertFalse(Files.exists(Path.of("/run/netns", TAG)), TAG + " left behind");
    }

    /** Detaches every program bpftool lists on a cgroup. */
    private static void detachAll(Path cg) throws IOException {
        if (!Files.isDirectory(cg)) {
            return;
        }
        for (JsonNode p : JSON.readTree(Cli.tool("bpftool", "-j", "cgroup", "show", cg.toString()))) {
            Cli.tool("bpftool", "cgroup", "detach", cg.toString(), p.get("attach_type").asText(), "id",
                    p.get("id").asText());
        }
    }

    /** Namespaces, cgroups and bpffs mounts of earlier runs whose process is gone. */
    private static void reapLeftovers() throws IOException {
        for (String line : Cli.tool("ip", "netns", "list").split("\n")) {
            Matcher m = OURS.matcher(line.split(" ")[0]);
            if (m.matches() && !Files.exists(Path.of("/proc", m.group(1)))) {
                Cli.tool("ip", "netns", "del", line.split(" ")[0]);
            }
        }
        try (Stream<Path> dirs = Files.list(CGROUP2)) {
            for (Path d : dirs.toList()) {
                Matcher m = OURS.matcher(d.getFileName().toString());
                if (m.matches() && !Files.exists(Path.of("/proc", m.group(1)))) {
                    detachAll(d.resolve("app"));
                    detachAll(d);
                    Files.deleteIfExists(d.resolve("app"));
                    Files.deleteIfExists(d);
                }
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String point = line.split(" ")[1];
            Matcher m = OURS.matcher(Path.of(point).getFileName() == null ? "" : Path.of(point).getFileName()
                    .toString());
            if (point.startsWith("/tmp/") && m.matches() && !Files.exists(Path.of("/proc", m.group(1)))) {
                Cli.tool("umount", point);
                Files.deleteIfExists(Path.of(point));
            }
        }
    }

    /** Whether a command fails (exit status not 0). */
    private static boolean refused(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        return p.exitValue() != 0;
    }

    /** Runs an oracle tool that must succeed; returns stdout and stderr together (libbpf logs to stderr). */
    private static String toolOutputs(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + text);
        return text;
    }

    private static String obj(String name) {
        return Cli.objectsDir().resolve(name).toString();
    }

    /** Compiles a scenario program of the analysis module's suite with clang. */
    private static String scenario(String file, String name, String... defines) {
        List<String> cmd = new ArrayList<>(List.of("clang", "-O2", "-g", "-target", "bpf",
                "-I/usr/include/x86_64-linux-gnu"));
        for (String d : defines) {
            cmd.add("-D" + d);
        }
        Path out = work.resolve(name + ".o");
        cmd.addAll(List.of("-c", SCENARIOS.resolve(file).toString(), "-o", out.toString()));
        Cli.tool(cmd.toArray(String[]::new));
        return out.toString();
    }

    private static List<JsonNode> findings(Cli.Result r, String kind) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.out()).get("findings").forEach(f -> {
            if (f.get("class").asText().equals(kind)) {
                out.add(f);
            }
        });
        return out;
    }

    /**
     * Whether the finding names program {@code id} as bpftool calls it: bpftool prints the full name from BTF, the
     * kernel's own name (what bpfstore reports) is cut to 15 bytes.
     */
    private static boolean names(JsonNode finding, int id, String name) {
        for (JsonNode s : finding.get("subjects")) {
            String ours = s.path("name").asText();
            if (s.get("kind").asText().equals("foreign_program") && s.get("id").asInt() == id
                    && (ours.equals(name) || ours.length() == 15 && name.startsWith(ours))) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode pinnedProgram() throws IOException {
        return JSON.readTree(Cli.tool("bpftool", "-j", "prog", "show", "pinned", PINS.resolve("cgfw").toString()));
    }

    private static Cli.Result checkCgroup() {
        return Cli.run("check", "--host", "--cgroup", APP.toString(), "-o", "json", obj("cgroup_firewall.o"));
    }

    @Test
    void cgroupPrograms() throws Exception {
        JsonNode prog = pinnedProgram();
        int id = prog.get("id").asInt();
        String name = prog.get("name").asText();
        String pinned = PINS.resolve("cgfw").toString();

        // Attached by bpftool without flags: exclusive; our attach would replace it (or be refused as a link).
        Cli.tool("bpftool", "cgroup", "attach", APP.toString(), "cgroup_inet_egress", "pinned", pinned);
        try {
            Cli.Result r = checkCgroup();
            assertEquals(CheckCommand.CLASH, r.exit(), r.err() + r.out());
            List<JsonNode> replaced = findings(r, "silent-replacement");
            assertEquals(1, replaced.size(), r.out());
            assertTrue(names(replaced.getFirst(), id, name), replaced.getFirst().toString());
            assertTrue(replaced.getFirst().toString().contains("\"kind\":\"cgroup\",\"path\":\"" + APP + "\""),
                    replaced.getFirst().toString());
            // The kernel confirms the claim: a multi attach is refused, a plain one replaces without an error.
            String ours = PINS.resolve("ours").toString();
            int oursId = JSON.readTree(Cli.tool("bpftool", "-j", "prog", "show", "pinned", ours)).get("id").asInt();
            assertTrue(refused("bpftool", "cgroup", "attach", APP.toString(), "cgroup_inet_egress", "pinned", ours,
                    "multi"), "a multi attach over an exclusive program must fail");
            Cli.tool("bpftool", "cgroup", "attach", APP.toString(), "cgroup_inet_egress", "pinned", ours);
            assertEquals(List.of(oursId), attachedIds(APP, false), "replaced without an error");
            Cli.tool("bpftool", "cgroup", "detach", APP.toString(), "cgroup_inet_egress", "pinned", ours);
            Cli.tool("bpftool", "cgroup", "attach", APP.toString(), "cgroup_inet_egress", "pinned", pinned);
            // The suggested fix is a command that works: run it, and the clash is gone.
            Matcher fix = Pattern.compile("\\((bpftool cgroup detach [^)]+)\\)")
                    .matcher(replaced.getFirst().get("fix").asText());
            assertTrue(fix.find(), replaced.getFirst().get("fix").asText());
            Cli.tool(fix.group(1).split(" "));
            Cli.Result after = checkCgroup();
            assertEquals(0, after.exit(), after.out());
            assertEquals(0, JSON.readTree(after.out()).get("findings").size(), after.out());
        } finally {
            detachAll(APP);
        }

        // On the parent with override: ours below it would silently take its place for the subtree.
        Cli.tool("bpftool", "cgroup", "attach", PARENT.toString(), "cgroup_inet_egress", "pinned", pinned,
                "override");
        try {
            Cli.Result r = checkCgroup();
            List<JsonNode> replaced = findings(r, "silent-replacement");
            assertEquals(1, replaced.size(), r.out());
            assertTrue(replaced.getFirst().get("message").asText().contains("ancestor"), r.out());
            assertTrue(names(replaced.getFirst(), id, name), replaced.getFirst().toString());
            // The kernel confirms: with ours attached below, the parent's program no longer runs there.
            String ours = PINS.resolve("ours").toString();
            int oursId = JSON.readTree(Cli.tool("bpftool", "-j", "prog", "show", "pinned", ours)).get("id").asInt();
            assertEquals(List.of(id), attachedIds(APP, true), "inherited before");
            Cli.tool("bpftool", "cgroup", "attach", APP.toString(), "cgroup_inet_egress", "pinned", ours, "multi");
            assertEquals(List.of(oursId), attachedIds(APP, true), "overridden after");
            detachAll(APP);
        } finally {
            detachAll(PARENT);
        }

        // With multi, programs run side by side: compatible.
        Cli.tool("bpftool", "cgroup", "attach", APP.toString(), "cgroup_inet_egress", "pinned", pinned, "multi");
        try {
            Cli.Result r = checkCgroup();
            assertEquals(0, r.exit(), r.out());
            assertEquals(0, JSON.readTree(r.out()).get("findings").size(), r.out());
        } finally {
            detachAll(APP);
        }
    }

    @Test
    void flowDissectorOfTheNamespace() throws Exception {
        String dissector = scenario("flow_dissector.c", "dissector");
        Path pin = PINS.resolve("dissector");
        Cli.tool("bpftool", "prog", "load", dissector, pin.toString());
        try {
            Cli.tool("ip", "netns", "exec", TAG, "bpftool", "prog", "attach", "pinned", pin.toString(),
                    "flow_dissector");
            JsonNode prog = JSON.readTree(Cli.tool("bpftool", "-j", "prog", "show", "pinned", pin.toString()));
            Cli.Result r = Cli.run("check", "--host", "--netns", TAG, "-o", "json", dissector);
            assertEquals(CheckCommand.CLASH, r.exit(), r.err() + r.out());
            List<JsonNode> replaced = findings(r, "silent-replacement");
            assertEquals(1, replaced.size(), r.out());
            assertTrue(names(replaced.getFirst(), prog.get("id").asInt(), prog.get("name").asText()), r.out());
            // The kernel confirms: a second BPF_PROG_ATTACH succeeds and the first program is gone. (bpftool's JSON
            // for flow_dissector is not well-formed, hence the pattern.)
            Path second = PINS.resolve("dissector2");
            Cli.tool("bpftool", "prog", "load", dissector, second.toString());
            try {
                Cli.tool("ip", "netns", "exec", TAG, "bpftool", "prog", "attach", "pinned", second.toString(),
                        "flow_dissector");
                int secondId = JSON.readTree(Cli.tool("bpftool", "-j", "prog", "show", "pinned", second.toString()))
                        .get("id").asInt();
                Matcher shown = Pattern.compile("\"flow_dissector\":\\[\"id\":(\\d+)\\]")
                        .matcher(Cli.tool("ip", "netns", "exec", TAG, "bpftool", "-j", "net", "show"));
                assertTrue(shown.find(), "bpftool shows no flow dissector");
                assertEquals(secondId, Integer.parseInt(shown.group(1)), "replaced without an error");
                Cli.tool("ip", "netns", "exec", TAG, "bpftool", "prog", "detach", "pinned", second.toString(),
                        "flow_dissector");
                Cli.tool("ip", "netns", "exec", TAG, "bpftool", "prog", "attach", "pinned", pin.toString(),
                        "flow_dissector");
            } finally {
                Files.delete(second);
            }
            // Another namespace has no flow dissector: nothing to say.
            Cli.Result here = Cli.run("check", "--host", "-o", "json", dissector);
            assertEquals(0, JSON.readTree(here.out()).get("findings").size(), here.out());
        } finally {
            Cli.tool("ip", "netns", "exec", TAG, "bpftool", "prog", "detach", "pinned", pin.toString(),
                    "flow_dissector");
            Files.delete(pin);
        }
    }

    @Test
    void xdpProgramHeldThroughAnotherToolsLink() throws Exception {
        // Another tool's XDP link, made with bpfstore's own kernel layer (no Debian tool creates XDP links).
        BpfObject counter = BpfObject.read(Cli.objectsDir().resolve("xdp_counter.o"));
        try (LoadedObject loaded = Loader.load(counter, LoadOptions.defaults().withoutPinning());
             Attachment link = Xdp.attach(loaded.program("xdp_count"), XdpOptions.of(Interface.named("veth0"))
                     .inNetns(Netns.named(TAG)).withMethod(XdpOptions.Method.LINK))) {
            JsonNode shown = JSON.readTree(Cli.tool("ip", "-j", "-n", TAG, "link", "show", "dev", "veth0")).get(0);
            int id = shown.path("xdp").path("prog").path("id").asInt(-1);
            Cli.Result r = Cli.run("check", "--host", "--netns", TAG, "--iface", "veth0", "-o", "json",
                    obj("xdp_firewall.o"));
            assertEquals(CheckCommand.CLASH, r.exit(), r.err() + r.out());
            List<JsonNode> held = findings(r, "exclusive-hook");
            assertEquals(1, held.size(), r.out());
            assertEquals(List.of(), findings(r, "silent-replacement"), "a link is not replaced silently: " + r.out());
            assertTrue(held.getFirst().toString().contains("{\"kind\":\"foreign_program\",\"id\":" + id + ","),
                    held.getFirst().toString());
            // The kernel confirms: even a forced legacy attach cannot replace a program held by a link.
            assertTrue(refused("ip", "-force", "-n", TAG, "link", "set", "dev", "veth0", "xdp", "obj",
                    obj("xdp_firewall.o"), "sec", "xdp"), "a forced netlink attach over an XDP link must fail");
        }
    }

    @Test
    void legacyTcFilterSlot() throws Exception {
        Cli.tool("ip", "netns", "exec", TAG, "tc", "qdisc", "add", "dev", "veth1", "clsact");
        Cli.tool("ip", "netns", "exec", TAG, "tc", "filter", "add", "dev", "veth1", "ingress", "prio", "7", "handle",
                "3", "bpf", "da", "obj", obj("tc_flow_bytes.o"), "sec", "tc");
        String shown = Cli.tool("ip", "netns", "exec", TAG, "tc", "-j", "filter", "show", "dev", "veth1", "ingress");
        Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(shown);
        assertTrue(id.find(), shown);
        Cli.Result r = Cli.run("check", "--host", "--netns", TAG, "--iface", "veth1", "--tc-priority", "7",
                "--tc-handle", "3", "-o", "json", obj("tc_port_drop.o"));
        assertEquals(CheckCommand.CLASH, r.exit(), r.err() + r.out());
        List<JsonNode> taken = findings(r, "exclusive-hook");
        assertEquals(1, taken.size(), r.out());
        assertTrue(taken.getFirst().toString().contains("\"id\":" + id.group(1) + ","), taken.getFirst().toString());
        assertTrue(taken.getFirst().get("message").asText().contains("priority 7, handle 0x3"), r.out());
        Cli.Result free = Cli.run("check", "--host", "--netns", TAG, "--iface", "veth1", "--tc-priority", "7",
                "--tc-handle", "4", "-o", "json", obj("tc_port_drop.o"));
        assertEquals(List.of(), findings(free, "exclusive-hook"), free.out());
    }

    @Test
    void congestionControlNameTheKernelHas() throws Exception {
        String registered = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control")).strip();
        String taken = registered.split("\\s+")[0];
        Cli.Result r = Cli.run("check", "--host", "-o", "json",
                scenario("struct_ops_cc.c", "cc_taken", "CC_VAR=cc_taken", "CC_NAME=\"" + taken + "\""));
        assertEquals(CheckCommand.CLASH, r.exit(), r.err() + r.out());
        assertEquals(1, findings(r, "exclusive-hook").size(), r.out());
        Cli.Result fresh = Cli.run("check", "--host", "-o", "json",
                scenario("struct_ops_cc.c", "cc_fresh", "CC_VAR=cc_fresh", "CC_NAME=\"bst_fresh\""));
        assertEquals(List.of(), findings(fresh, "exclusive-hook"), fresh.out());
    }

    @Test
    void trialLoadCountsWhatTheVerifierProcessed() throws Exception {
        String near = scenario("near_limit.c", "near_small", "ITERATIONS=3000");
        // The oracle: libbpf's debug output of the same load prints the verifier's statistics line.
        Path pin = PINS.resolve("near");
        String log;
        try {
            log = toolOutputs("bpftool", "-d", "prog", "load", near, pin.toString());
        } finally {
            Files.deleteIfExists(pin);
        }
        Matcher processed = Pattern.compile("processed (\\d+) insns").matcher(log);
        assertTrue(processed.find(), log);
        var counts = HostViewReader.trialLoad(List.of(new io.bpfstore.analysis.clash.CheckedPackage("near_small.o",
                BpfObject.read(Path.of(near)))));
        assertEquals(List.of(new io.bpfstore.analysis.clash.HostView.Verified("near_small.o", "bst_near_limit",
                Long.parseLong(processed.group(1)))), counts);
        Cli.Result r = Cli.run("check", "--host", "--trial-load", "-o", "json", near);
        assertEquals(0, r.exit(), r.err() + r.out());
        assertEquals(0, JSON.readTree(r.out()).get("findings").size(), "3,000 rounds are far from the limit");
    }

    @Test
    void budget() throws Exception {
        Cli.Result r = Cli.run("check", "--budget", "16K", "-o", "json", obj("xdp_firewall.o"));
        assertEquals(CheckCommand.CLASH, r.exit(), r.out());
        assertEquals(1, findings(r, "resources").size(), r.out());
        Cli.Result text = Cli.run("check", "--budget", "1GiB", obj("xdp_firewall.o"));
        assertEquals(0, text.exit(), text.out());
        assertTrue(text.out().contains("no clash found"), text.out());
    }
}
