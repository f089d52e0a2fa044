package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bpfstore load} against libbpf: for every catalog and rejected object the same verdict as
 * {@code bpftool prog loadall}, and for accepted programs the instruction count the kernel reports for libbpf's
 * load of the same program ({@code bpftool prog show}: bytes_xlated / 8). Bad input gets one line, no trace.
 */
class LoadCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path bpffs;

    @BeforeAll
    static void mountBpffs() throws IOException {
        assertEquals("0", ExternalTool.output("id", "-u").strip(), "bpfstore load needs root; these tests do not skip");
        reapEarlierRuns();
        bpffs = Path.of("/tmp", "bst-test-" + ProcessHandle.current().pid() + "-cli-load");
        Files.createDirectories(bpffs);
        ExternalTool.output("mount", "-t", "bpf", "bpf", bpffs.toString());
    }

    /** Unmounts bpffs left by runs of this test that were killed before their teardown. */
    private static void reapEarlierRuns() throws IOException {
        java.util.regex.Pattern mine = java.util.regex.Pattern.compile("/tmp/bst-test-(\\d+)-cli-load");
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] fields = line.split(" ");
            java.util.regex.Matcher m = fields.length > 2 ? mine.matcher(fields[1]) : null;
            if (m != null && m.matches() && fields[2].equals("bpf")
                    && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                ExternalTool.output("umount", fields[1]);
                Files.deleteIfExists(Path.of(fields[1]));
            }
        }
    }

    @AfterAll
    static void unmount() throws IOException {
        if (bpffs != null) {
            ExternalTool.output("umount", bpffs.toString());
            Files.deleteIfExists(bpffs);
        }
    }

    @TestFactory
    Stream<DynamicTest> verdictsMatchLibbpf() {
        Path root = ExampleObjects.dir();
        return ExampleObjects.all().stream()
                .filter(p -> p.getParent().equals(root) || p.getParent().equals(root.resolve("rejected")))
                .map(p -> DynamicTest.dynamicTest(root.relativize(p).toString(), () -> check(p)));
    }

    private void check(Path object) throws IOException {
        Path pins = bpffs.resolve(object.getFileName().toString().replace('.', '_'));
        Map<String, Integer> libbpf = new HashMap<>();
        boolean libbpfLoads;
        try {
            ExternalTool.output("bpftool", "prog", "loadall", object.toString(), pins.toString());
            libbpfLoads = true;
            try (Stream<Path> s = Files.list(pins)) {
                for (Path pin : s.toList()) {
                    JsonNode shown = JSON.readTree(ExternalTool.output("bpftool", "--json", "prog", "show", "pinned", pin.toString()));
                    libbpf.put(shown.path("name").asText(), shown.path("bytes_xlated").asInt() / 8);
                }
            }
        } catch (AssertionError refused) {
            libbpfLoads = false;
        } finally {
            if (Files.exists(pins)) {
                try (Stream<Path> s = Files.list(pins)) {
                    for (Path pin : s.toList()) {
                        Files.delete(pin);
                    }
                }
                Files.delete(pins);
            }
        }
        Cli.Result r = Cli.run("load", "--output", "json", object.toString());
        assertEquals("", r.err(), "stderr");
        JsonNode report = JSON.readTree(r.out());
        assertEquals(libbpfLoads, report.path("accepted").asBoolean(), r.out());
        assertEquals(libbpfLoads ? 0 : 1, r.exit());
        for (JsonNode p : report.path("programs")) {
            String name = p.path("name").asText();
            if (libbpfLoads) {
                assertEquals("accepted", p.path("verdict").asText());
                // bpftool shows the full name from BTF where the kernel keeps 15 characters
                String kernelName = name.length() > 15 ? name.substring(0, 15) : name;
                assertEquals(libbpf.getOrDefault(name, libbpf.get(kernelName)), p.path("instructions").asInt(),
                        "instructions of " + name);
            } else if (p.path("verdict").asText().equals("rejected")) {
                String message = p.path("message").asText();
                assertTrue(message.startsWith("load program \"" + name + "\" ("), message);
                assertTrue(message.contains(" at " + Path.of(p.path("source").path("file").asText()).getFileName()
                        + ":" + p.path("source").path("line").asInt() + ": "), message);
            }
        }
    }

    @Test
    void textReportOfRejectedProgramIsTableThenOneLinePerRefusal() {
        Path object = ExampleObjects.dir().resolve("rejected/oob_packet_read.o");
        Cli.Result r = Cli.run("load", object.toString());
        assertEquals(1, r.exit());
        List<String> lines = r.out().lines().toList();
        assertEquals(List.of("PROGRAM       TYPE  VERDICT   INSNS", "xdp_oob_read  xdp   rejected  -"), lines.subList(0, 2));
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(2).startsWith("load program \"xdp_oob_read\" (xdp): the verifier rejected it: invalid access to packet"),
                lines.get(2));
        assertTrue(lines.get(2).endsWith("at oob_packet_read.c:14: if (eth->h_proto == bpf_htons(ETH_P_ARP))")
                || lines.get(2).contains(" at oob_packet_read.c:"), lines.get(2));
    }

    @Test
    void attachesInsideATestNamespaceAndPinsTheLinkWhenAsked() throws IOException {
        String ns = "bst-test-" + ProcessHandle.current().pid() + "-attach";
        ExternalTool.output("ip", "netns", "add", ns);
        Path pin = bpffs.resolve("xdp_count_link");
        try {
            ExternalTool.output("ip", "-n", ns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1");
            ExternalTool.output("ip", "-n", ns, "link", "set", "veth0", "up");
            String object = ExampleObjects.dir().resolve("xdp_counter.o").toString();

            // Without --pin the attachment ends with the command.
            Cli.Result r = Cli.run("load", object, "--attach", "xdp", "--iface", "veth0", "--netns", ns);
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("attached xdp_count (xdp) to veth0"), r.out());
            assertFalse(ExternalTool.output("ip", "-n", ns, "link", "show", "veth0").contains("prog/xdp"));

            // With --pin the link outlives it; bpftool sees it on veth0 until the pin goes.
            r = Cli.run("load", object, "--attach", "xdp", "--iface", "veth0", "--netns", ns, "--pin", pin.toString());
            assertEquals(0, r.exit(), r.err());
            JsonNode link = JSON.readTree(ExternalTool.output("bpftool", "link", "show", "pinned", pin.toString(), "--json"));
            assertEquals("xdp", link.get("type").asText());
            assertTrue(ExternalTool.output("ip", "-n", ns, "link", "show", "veth0").contains("name xdp_count"));
            Files.delete(pin);

            // Bad input: one clear line each, nothing attached.
            r = Cli.run("load", object, "--attach", "xdp", "--iface", "nope", "--netns", ns);
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("there is no interface nope"), r.err());
            r = Cli.run("load", object, "--attach", "xdp");
            assertTrue(r.err().contains("needs --iface"), r.err());
            r = Cli.run("load", object, "--attach", "warp", "--iface", "veth0");
            assertTrue(r.err().contains("unknown --attach warp"), r.err());
            r = Cli.run("load", ExampleObjects.dir().resolve("tail_calls.o").toString(), "--attach", "xdp", "--iface",
                    "veth0", "--netns", ns);
            assertTrue(r.err().contains("choose one with --program"), r.err());
        } finally {
            Files.deleteIfExists(pin);
            ExternalTool.output("ip", "netns", "del", ns);
        }
    }

    @Test
    void loadsFromInsideANetworkNamespace() {
        String ns = "bst-test-" + ProcessHandle.current().pid() + "-load";
        ExternalTool.output("ip", "netns", "add", ns);
        try {
            Cli.Result r = Cli.run("load", "--netns", ns, ExampleObjects.dir().resolve("xdp_counter.o").toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("xdp_count  xdp   accepted"), r.out());
        } finally {
            ExternalTool.output("ip", "netns", "del", ns);
        }
    }

    @Test
    void legacyObjectsLoadAndTypesAndGlobalsAreGiven(@TempDir Path dir) throws IOException {
        Cli.Result legacy = Cli.run("load", ExampleObjects.dir().resolve("toolchains/legacy_maps.o").toString());
        assertEquals(0, legacy.exit(), legacy.out() + legacy.err());
        assertTrue(legacy.out().contains("count_proto_bytes  socket_filter  accepted"), legacy.out());
        assertTrue(legacy.out().contains("count_ifindex      xdp            accepted"), legacy.out());

        Path c = dir.resolve("cfg.c");
        Files.writeString(c, """
                #include <linux/bpf.h>
                #define SEC(n) __attribute__((section(n), used))
                const volatile unsigned char verdict = 2;
                SEC("prog") int decide(struct xdp_md *ctx) { return verdict; }
                char _license[] SEC("license") = "GPL";
                """);
        String object = io.bpfstore.testsupport.BpfClang.compile(c, dir.resolve("cfg.o")).toString();
        Cli.Result untyped = Cli.run("load", object);
        assertEquals(1, untyped.exit());
        assertEquals("bpfstore load: load program \"decide\": section prog names no program type libbpf knows; give"
                + " one with --type TYPE or --type decide=TYPE", untyped.err().strip());
        Cli.Result typed = Cli.run("load", "--type", "xdp", "--set", "verdict=1", object);
        assertEquals(0, typed.exit(), typed.out() + typed.err());
        assertTrue(typed.out().contains("decide   xdp   accepted"), typed.out());
        for (String[] args : List.of(new String[] {"load", "--type", "xpd", object},
                new String[] {"load", "--type", "xdp", "--set", "verdict=256", object},
                new String[] {"load", "--type", "xdp", "--set", "nope=1", object})) {
            Cli.Result r = Cli.run(args);
            assertEquals(1, r.exit(), String.join(" ", args));
            assertEquals(1, r.err().lines().count(), r.err());
        }
        assertTrue(Cli.run("load", "--type", "xdp", "--set", "verdict=256", object).err()
                .contains("set global verdict (unsigned char) to \"256\": out of range 0..255"));
    }

    @Test
    void badInputIsOneLineWithoutTrace(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.o");
        Files.writeString(junk, "not an ELF file at all");
        for (String[] args : List.of(
                new String[] {"load", dir.resolve("missing.o").toString()},
                new String[] {"load", junk.toString()},
                new String[] {"load", "--netns", "bst-no-such-netns", ExampleObjects.dir().resolve("xdp_counter.o").toString()})) {
            Cli.Result r = Cli.run(args);
            assertEquals(1, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("bpfstore load: "), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertEquals("", r.out());
        }
    }
}
