package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.kernel.Netns;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --tc-mode legacy}: tc packages as bpf filters on the clsact qdisc (this kernel has tcx, so the mode is
 * forced). Oracles: {@code tc -j filter show} and {@code tc qdisc show} (what is on the hook, in which priority
 * order, running which program), bpftool (pinned program ids, map contents), real traffic between the test
 * namespaces, and {@code bpfstore doctor}.
 */
class InstallTcLegacyTest extends InstallHostTest {
    private static final int BLOCKED = 7777;

    @Test
    void legacyFilterCountsPacketsKeepsThemAcrossAnUpgradeAndLeavesNothingBehind() throws Exception {
        Path v1 = InstallHost.layout("tc_flow_bytes", "1.0.0", work);
        Path v2 = InstallHost.layout("tc_flow_bytes", "1.1.0", work);
        try (InstallHost h = InstallHost.create("l", work)) {
            Cli.Result installed = h.ok("install", v1.toString(), "--iface", h.ifB, "--netns", h.nsB, "--tc-mode", "legacy");
            assertTrue(installed.out().contains("(legacy clsact)"), installed.out());
            assertEquals(List.of(), InstallCommandsTest.tcxLinks(h), "no tcx link");
            List<JsonNode> filters = filters(h);
            assertEquals(1, filters.size(), filters.toString());
            JsonNode filter = filters.getFirst();
            assertEquals(50 * 64, filter.path("pref").asInt(), "installation priority 50 (default) takes tc priority 3200");
            assertEquals("bpfstore:tc-flow-bytes:tc_flow_account", filter.path("options").path("bpf_name").asText());
            assertTrue(filter.path("options").path("direct-action").asBoolean());
            assertEquals(pinnedProgram(h.pins.resolve("tc-flow-bytes/g1/programs/tc_flow_account")), programOf(filter));
            assertTrue(clsact(h), "bpfstore created the clsact qdisc");

            h.ping(5);
            assertEquals(5, icmpPackets(h.pins.resolve("tc-flow-bytes/g1/maps/flows")), "echo requests seen on ingress");
            assertEquals("ok: bpffs, kernel and state database agree", h.ok("doctor").out().strip());

            h.ok("upgrade", "tc-flow-bytes", "--from", v2.toString());
            List<JsonNode> after = filters(h);
            assertEquals(1, after.size(), after.toString());
            assertEquals(filter.path("pref").asInt(), after.getFirst().path("pref").asInt(), "same priority");
            assertEquals(filter.path("options").path("handle").asText(), after.getFirst().path("options").path("handle")
                    .asText(), "same handle: replaced, not re-added");
            assertEquals(pinnedProgram(h.pins.resolve("tc-flow-bytes/g2/programs/tc_flow_account")),
                    programOf(after.getFirst()), "the filter runs the new generation");
            h.ping(4);
            assertEquals(9, icmpPackets(h.pins.resolve("tc-flow-bytes/g2/maps/flows")), "the counters carried on");
            InstallCrashTest.assertConsistent(h, List.of("tc-flow-bytes"));

            h.ok("uninstall", "tc-flow-bytes");
            assertEquals(List.of(), filters(h));
            assertFalse(clsact(h), "the qdisc bpfstore created went with its last filter");
            InstallCrashTest.assertConsistent(h, List.of());
        }
    }

    @Test
    void filtersRunInPriorityOrderAfterForeignFiltersWithoutClobberingThem() throws Exception {
        Path portDrop = InstallHost.layout("tc_port_drop", "1.0.0", work);
        Path flowObject = Cli.objectsDir().resolve("tc_flow_bytes.o");
        try (InstallHost h = InstallHost.create("o", work)) {
            // other tools came first: an eBPF filter tc loaded itself (default priority 49152), and a classic BPF filter
            // at the priority bpfstore's priority-5 band starts with (it never matches, so packets go on)
            tc(h, "qdisc", "add", "dev", h.ifB, "clsact");
            tc(h, "filter", "add", "dev", h.ifB, "ingress", "bpf", "da", "obj", flowObject.toString(), "sec", "tc");
            tc(h, "filter", "add", "dev", h.ifB, "ingress", "pref", "320", "bpf", "bytecode", "1,6 0 0 0,");
            List<String> foreignBefore = filters(h).stream().map(JsonNode::toString).toList();

            h.ok("install", portDrop.toString(), "--name", "late", "--iface", h.ifB, "--netns", h.nsB, "--priority", "40",
                    "--tc-mode", "legacy", "--force");
            h.ok("install", portDrop.toString(), "--name", "early", "--iface", h.ifB, "--netns", h.nsB, "--priority", "5",
                    "--tc-mode", "legacy", "--force");
            List<String> order = new ArrayList<>();
            for (JsonNode f : filters(h)) {
                order.add(f.path("pref").asInt() + " " + f.path("kind").asText() + " "
                        + f.path("options").path("bpf_name").asText(""));
            }
            assertEquals(List.of("320 bpf ", "321 bpf bpfstore:early:tc_drop_port", "2560 bpf bpfstore:late:tc_drop_port",
                    "49152 bpf tc_flow_bytes.o:[tc]"), order, "by priority; 320 was taken, so early got 321");

            for (String n : List.of("early", "late")) {
                Cli.tool("bpftool", "map", "update", "pinned", h.pins.resolve(n + "/g1/maps/blocked_ports").toString(),
                        "key", "0x61", "0x1e", "value", "0", "0", "0", "0", "0", "0", "0", "0");
            }
            sendUdp(h, BLOCKED, 6);
            assertEquals(6, drops(h, "early"), "the priority 5 package runs first and drops them");
            assertEquals(0, drops(h, "late"), "the priority 40 package never sees what early dropped");

            h.ok("uninstall", "early");
            sendUdp(h, BLOCKED, 3);
            assertEquals(3, drops(h, "late"), "with early gone, late sees the datagrams");
            h.ok("uninstall", "late");
            List<String> foreignAfter = filters(h).stream().map(JsonNode::toString).toList();
            assertEquals(foreignBefore, foreignAfter, "the foreign filters are untouched");
            assertTrue(clsact(h), "the qdisc another tool created stays");
            InstallCrashTest.assertConsistent(h, List.of());
        }
    }

    @Test
    void killedLegacyOperationsAreFinishedByTheNextCommand() throws Exception {
        Path v1 = InstallHost.layout("tc_flow_bytes", "1.0.0", work);
        Path v2 = InstallHost.layout("tc_flow_bytes", "1.1.0", work);
        try (InstallHost h = InstallHost.create("q", work)) {
            for (String step : List.of("install-begin", "install-loaded", "install-attached")) {
                InstallCrashTest.killAt(h, step, "install", v1.toString(), "--iface", h.ifB, "--netns", h.nsB,
                        "--tc-mode", "legacy");
                Cli.Result next = h.ok("list");
                assertTrue(next.err().contains("rolled back the interrupted install of tc-flow-bytes (at " + step + ")"),
                        next.err());
                assertEquals(List.of(), filters(h), "no filter left after " + step);
                InstallCrashTest.assertConsistent(h, List.of());
            }
            assertFalse(clsact(h), "the rolled-back install's qdisc is gone");

            h.ok("install", v1.toString(), "--iface", h.ifB, "--netns", h.nsB, "--tc-mode", "legacy");
            int g1 = pinnedProgram(h.pins.resolve("tc-flow-bytes/g1/programs/tc_flow_account"));
            h.ping(3);
            for (String step : List.of("upgrade-begin", "upgrade-loaded")) {
                InstallCrashTest.killAt(h, step, "upgrade", "tc-flow-bytes", "--from", v2.toString());
                Cli.Result next = h.ok("list");
                assertTrue(next.err().contains("rolled back the interrupted upgrade of tc-flow-bytes"), next.err());
                assertEquals(g1, programOf(filters(h).getFirst()), "the filter runs generation 1 again");
                InstallCrashTest.assertConsistent(h, List.of("tc-flow-bytes"));
            }
            InstallCrashTest.killAt(h, "upgrade-swapped", "upgrade", "tc-flow-bytes", "--from", v2.toString());
            Cli.Result next = h.ok("list");
            assertTrue(next.err().contains("completed the interrupted upgrade of tc-flow-bytes"), next.err());
            assertEquals(1, filters(h).size());
            assertEquals(pinnedProgram(h.pins.resolve("tc-flow-bytes/g2/programs/tc_flow_account")),
                    programOf(filters(h).getFirst()));
            assertEquals(3, icmpPackets(h.pins.resolve("tc-flow-bytes/g2/maps/flows")), "counters kept");
            InstallCrashTest.assertConsistent(h, List.of("tc-flow-bytes"));

            for (String step : List.of("uninstall-begin", "uninstall-detached", "uninstall-unpinned")) {
                if (step.equals("uninstall-begin")) {
                    InstallCrashTest.killAt(h, step, "uninstall", "tc-flow-bytes");
                } else {
                    h.ok("install", v1.toString(), "--name", "again", "--iface", h.ifB, "--netns", h.nsB,
                            "--tc-mode", "legacy");
                    InstallCrashTest.killAt(h, step, "uninstall", "again");
                }
                Cli.Result after = h.ok("list");
                assertTrue(after.err().contains("completed the interrupted uninstall of "), after.err());
                assertEquals(List.of(), filters(h), "no filter left after " + step);
                assertFalse(clsact(h));
                InstallCrashTest.assertConsistent(h, List.of());
            }
        }
    }

    @Test
    void doctorFindsLostAndOrphanedFilters() throws Exception {
        Path v1 = InstallHost.layout("tc_flow_bytes", "1.0.0", work);
        try (InstallHost h = InstallHost.create("s", work)) {
            h.ok("install", v1.toString(), "--name", "lost", "--iface", h.ifB, "--netns", h.nsB, "--tc-mode", "legacy");
            h.ok("install", v1.toString(), "--name", "kept", "--iface", h.ifB, "--netns", h.nsB, "--tc-mode", "legacy",
                    "--priority", "60");
            tc(h, "filter", "del", "dev", h.ifB, "ingress", "pref", Integer.toString(50 * 64)); // "lost" by hand
            // an orphan: a filter running kept's program that no record names
            int kept = pinnedProgram(h.pins.resolve("kept/g1/programs/tc_flow_account"));
            tc(h, "filter", "add", "dev", h.ifB, "ingress", "pref", "7", "handle", "1", "bpf", "da", "pinned",
                    h.pins.resolve("kept/g1/programs/tc_flow_account").toString());
            Cli.Result found = h.run("doctor");
            assertEquals(3, found.exit(), found.out() + found.err());
            assertTrue(found.out().contains("installation lost lost tc filter tc_flow_account on " + h.ifB
                    + " ingress priority 3200 handle 0x1 (netns " + h.nsB + ") (gone)"), found.out());
            assertTrue(found.out().contains("priority 7 handle 0x1 (netns " + h.nsB + ") running program " + kept
                    + " runs a bpfstore program but belongs to no installation"), found.out());
            h.ok("doctor", "--repair");
            assertEquals(List.of("3840 bpfstore:kept:tc_flow_account"), filters(h).stream().map(f -> f.path("pref").asInt()
                    + " " + f.path("options").path("bpf_name").asText()).toList());
            InstallCrashTest.assertConsistent(h, List.of("kept"));
            h.ok("uninstall", "kept");
            InstallCrashTest.assertConsistent(h, List.of());
            assertFalse(clsact(h));
        }
    }

    @Test
    void badLegacyFlagsAreRefusedBeforeAnythingHappens() throws Exception {
        Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path portDrop = InstallHost.layout("tc_port_drop", "1.0.0", work);
        try (InstallHost h = InstallHost.create("w", work)) {
            Cli.Result xdp = h.run("install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB, "--tc-mode", "legacy");
            assertEquals(1, xdp.exit());
            assertTrue(xdp.err().contains("--tc-mode applies to tc programs"), xdp.err());
            Cli.Result anchor = h.run("install", portDrop.toString(), "--iface", h.ifB, "--netns", h.nsB, "--tc-mode",
                    "legacy", "--before-foreign");
            assertEquals(1, anchor.exit());
            assertTrue(anchor.err().contains("--before-foreign applies to tcx links"), anchor.err());
            Cli.Result mode = h.run("install", portDrop.toString(), "--iface", h.ifB, "--tc-mode", "clsact");
            assertEquals(2, mode.exit(), mode.err());
            assertEquals(List.of(), filters(h));
            assertEquals(List.of(), h.pinFiles());
        }
    }

    // ------------------------------------------------------------------ oracles

    /** tc's filters on B's ingress (one JSON entry per filter: the ones with options), in tc's listing order. */
    static List<JsonNode> filters(InstallHost h) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        String text = Cli.tool("tc", "-n", h.nsB, "-j", "filter", "show", "dev", h.ifB, "ingress").strip();
        if (text.isEmpty()) {
            return out;
        }
        for (JsonNode f : JSON.readTree(text)) {
            if (f.has("options")) {
                out.add(f);
            }
        }
        return out;
    }

    private static boolean clsact(InstallHost h) {
        return Cli.tool("tc", "-n", h.nsB, "qdisc", "show", "dev", h.ifB).contains("clsact");
    }

    private static void tc(InstallHost h, String... args) {
        List<String> command = new ArrayList<>(List.of("tc", "-n", h.nsB));
        command.addAll(List.of(args));
        Cli.tool(command.toArray(String[]::new));
    }

    private static int programOf(JsonNode filter) {
        return filter.path("options").path("prog").path("id").asInt();
    }

    private static int pinnedProgram(Path pin) throws IOException {
        return JSON.readTree(Cli.tool("bpftool", "-j", "prog", "show", "pinned", pin.toString())).path("id").asInt();
    }

    /** ICMP (IPv4) packets tc_flow_bytes counted, summed over its flows, as bpftool dumps the map. */
    private static long icmpPackets(Path flows) throws IOException {
        long sum = 0;
        for (JsonNode e : JSON.readTree(Cli.tool("bpftool", "-j", "map", "dump", "pinned", flows.toString()))) {
            JsonNode key = e.path("formatted").path("key");
            if (key.path("family").asInt() == 2 && key.path("proto").asInt() == 1) {
                sum += e.path("formatted").path("value").path("packets").asLong();
            }
        }
        return sum;
    }

    /** The drops tc_port_drop of installation {@code name} counted for the blocked port, as bpftool reads them. */
    private static long drops(InstallHost h, String name) throws IOException {
        JsonNode e = JSON.readTree(Cli.tool("bpftool", "-j", "map", "lookup", "pinned",
                h.pins.resolve(name + "/g1/maps/blocked_ports").toString(), "key", "0x61", "0x1e"));
        return e.path("formatted").path("value").asLong();
    }

    /** Sends {@code count} UDP datagrams from A to B's {@code port}. */
    private static void sendUdp(InstallHost h, int port, int count) {
        Netns.named(h.nsA).run(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                InetAddress b = InetAddress.getByName("10.78.0.2");
                for (int i = 0; i < count; i++) {
                    s.send(new DatagramPacket(new byte[32], 32, b, port));
                }
            }
            return null;
        });
    }
}
