package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.Tcx;
import io.bpfstore.kernel.link.TcxOptions;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import io.bpfstore.testsupport.BpfClang;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bpfstore install / list / status / upgrade / uninstall} on a real kernel, with real traffic between two
 * test namespaces. Oracles: iproute2 ({@code ip -j link}: the XDP program on the interface), bpftool (map contents,
 * program and cgroup listings), the kernel's own tcx query (bpftool 7.1 does not list tcx links) and ping traffic.
 */
class InstallCommandsTest extends InstallHostTest {
    @Test
    void xdpInstallCountsTrafficListsStatusAndUninstallsWithoutLeftovers() throws IOException {
        Path layout = InstallHost.layout("xdp_counter", "1.0.0", work);
        try (InstallHost h = InstallHost.create("x", work)) {
            Cli.Result elsewhere = h.run("install", layout.toString(), "--iface", h.ifB);
            assertEquals(1, elsewhere.exit(), elsewhere.out());
            assertTrue(elsewhere.err().contains("unknown interface " + h.ifB) && elsewhere.err().contains("add --netns " + h.nsB),
                    "the namespace that has the interface is suggested: " + elsewhere.err());
            Cli.Result r = h.ok("install", layout.toString(), "--iface", h.ifB, "--netns", h.nsB);
            assertTrue(r.out().startsWith("installed xdp-counter (examples/xdp-counter 1.0.0) on xdp on " + h.ifB),
                    r.out());
            JsonNode status = JSON.readTree(h.ok("status", "xdp-counter", "-o", "json").out());
            int dispatcherProgram = xdpProgramOn(h);
            JsonNode dispatcher = object(status, "dispatcher");
            assertTrue(dispatcher.path("detail").asText().contains("program " + dispatcherProgram + " \"bst_xdp_disp\""),
                    "status names the program ip link shows: " + dispatcher);
            assertTrue(status.path("run_statistics").isBoolean(), "status says whether the kernel counts runs: " + status);
            if (!status.path("run_statistics").asBoolean()) {
                String text = h.ok("status", "xdp-counter").out();
                assertTrue(text.contains("sysctl -w kernel.bpf_stats_enabled=1"), "how to turn statistics on: " + text);
            }

            h.ping(5);
            Path counters = h.pins.resolve("xdp-counter/g1/maps/counters");
            assertTrue(packets(counters, 1) >= 5, "ICMP counted by the composed program");

            JsonNode list = JSON.readTree(h.ok("list", "--output", "json").out());
            assertEquals(1, list.size());
            assertEquals("examples/xdp-counter", list.get(0).path("package").asText());
            assertEquals("1.0.0", list.get(0).path("version").asText());
            assertEquals(h.ifB, list.get(0).path("target").asText().split(" ")[2]);

            h.ok("uninstall", "xdp-counter");
            assertEquals(0, xdpProgramOn(h), "no XDP program left on the interface");
            assertEquals(List.of(), h.pinFiles());
            assertFalse(programOutlives(dispatcherProgram), "the dispatcher program is freed");
            assertEquals("[ ]", h.ok("list", "-o", "json").out().strip());
        }
    }

    @Test
    void threeXdpPackagesRunInPriorityOrderAndStopPerProceedOn() throws IOException {
        Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path firewall = InstallHost.layout("xdp_firewall", "1.0.0", work);
        try (InstallHost h = InstallHost.create("t", work)) {
            h.ok("install", counter.toString(), "--name", "first", "--iface", h.ifB, "--netns", h.nsB, "--priority", "10");
            h.ok("install", counter.toString(), "--name", "last", "--iface", h.ifB, "--netns", h.nsB, "--priority", "30");
            Cli.Result r = h.ok("install", firewall.toString(), "--name", "middle", "--iface", h.ifB, "--netns", h.nsB,
                    "--priority", "20");
            assertTrue(r.out().contains("run order first > middle > last"), r.out());
            Path first = h.pins.resolve("first/g1/maps/counters");
            Path last = h.pins.resolve("last/g1/maps/counters");

            h.ping(4);
            long firstSeen = packets(first, 1);
            long lastSeen = packets(last, 1);
            assertTrue(firstSeen >= 4 && firstSeen == lastSeen, "passing traffic reaches all: " + firstSeen + "/" + lastSeen);

            // deny 10.78.0.1/32: the firewall drops, and XDP_DROP is not in its proceed-on set, so "last" sees nothing
            ExternalTool.output("bpftool", "map", "update", "pinned", h.pins.resolve("middle/g1/maps/deny_src_v4").toString(),
                    "key", "32", "0", "0", "0", "10", "78", "0", "1", "value", "1", "0", "0", "0", "0", "0", "0", "0");
            h.ping(4);
            assertTrue(packets(first, 1) >= firstSeen + 4, "the first package still sees every packet");
            assertEquals(lastSeen, packets(last, 1), "the package after the dropping one sees none of the dropped");

            long firstBefore = packets(first, 1);
            long lastBefore = packets(last, 1);
            int linkBefore = linkIdOf(h);
            h.ok("uninstall", "middle");
            assertEquals(linkBefore, linkIdOf(h), "the dispatcher link was updated, not replaced");
            assertEquals(firstBefore, packets(first, 1), "map contents survive recomposition");
            assertEquals(lastBefore, packets(last, 1), "map contents survive recomposition");
            h.ping(3);
            assertTrue(packets(last, 1) >= lastBefore + 3, "with the firewall gone the last package sees traffic again");
            h.ok("uninstall", "first");
            h.ok("uninstall", "last");
            assertEquals(0, xdpProgramOn(h));
            assertEquals(List.of(), h.pinFiles());
        }
    }

    @Test
    void tcxLinksAreOrderedByPriorityNextToAForeignLink() throws IOException {
        Path portDrop = InstallHost.layout("tc_port_drop", "1.0.0", work);
        try (InstallHost h = InstallHost.create("c", work);
             LoadedObject foreign = Loader.load(BpfObject.read(ExampleObjects.dir().resolve("tc_flow_bytes.o")),
                     LoadOptions.defaults().withoutPinning());
             BpfLink foreignLink = Tcx.attach(foreign.program("tc_flow_account"),
                     TcxOptions.of(Interface.named(h.ifB), Direction.INGRESS).inNetns(Netns.named(h.nsB)))) {
            // "another tool" attached first; bpfstore places its links after it by default, by priority among its own
            h.ok("install", portDrop.toString(), "--name", "late", "--iface", h.ifB, "--netns", h.nsB, "--priority", "40", "--force");
            h.ok("install", portDrop.toString(), "--name", "early", "--iface", h.ifB, "--netns", h.nsB, "--priority", "5", "--force");
            h.ok("install", portDrop.toString(), "--name", "mid", "--iface", h.ifB, "--netns", h.nsB, "--priority", "20",
                    "--force");
            List<Integer> expected = List.of(foreignLink.id(), linkOf(h, "early"), linkOf(h, "mid"), linkOf(h, "late"));
            assertEquals(expected, tcxLinks(h), "foreign first (it was there before), then by priority");

            h.ok("uninstall", "mid");
            assertEquals(List.of(foreignLink.id(), linkOf(h, "early"), linkOf(h, "late")), tcxLinks(h));
            h.ok("install", portDrop.toString(), "--name", "front", "--iface", h.ifB, "--netns", h.nsB,
                    "--priority", "1", "--force");
            assertEquals(List.of(foreignLink.id(), linkOf(h, "front"), linkOf(h, "early"), linkOf(h, "late")),
                    tcxLinks(h), "priority 1 goes before bpfstore's other links, still after the foreign one");
            for (String n : List.of("front", "early", "late")) {
                h.ok("uninstall", n);
            }
            h.ok("install", portDrop.toString(), "--name", "alone", "--iface", h.ifB, "--netns", h.nsB,
                    "--before-foreign", "--force");
            assertEquals(List.of(linkOf(h, "alone"), foreignLink.id()), tcxLinks(h), "--before-foreign");
            h.ok("uninstall", "alone");
            assertEquals(List.of(foreignLink.id()), tcxLinks(h), "the foreign link is untouched");
        }
    }

    @Test
    void cgroupPackageAttachesBothProgramsAndDetaches() throws IOException {
        Path usage = InstallHost.layout("cgroup_data_usage", "1.0.0", work);
        try (InstallHost h = InstallHost.create("g", work)) {
            h.ok("install", usage.toString(), "--cgroup", h.cgroup.toString());
            List<Integer> attached = cgroupPrograms(h.cgroup);
            JsonNode status = JSON.readTree(h.ok("status", "cgroup-data-usage", "-o", "json").out());
            List<Integer> ours = new ArrayList<>();
            status.path("objects").forEach(o -> {
                if (o.path("kind").asText().equals("program")) {
                    ours.add(o.path("id").asInt());
                }
            });
            assertEquals(2, ours.size(), status.toString());
            assertEquals(ours.stream().sorted().toList(), attached.stream().sorted().toList(),
                    "bpftool cgroup show lists exactly the installation's programs");
            h.ok("uninstall", "cgroup-data-usage");
            assertEquals(List.of(), cgroupPrograms(h.cgroup), "nothing left on the cgroup");
        }
    }

    /**
     * Install runs the same host-aware clash checks as {@code check --host}: a program another tool attached to the
     * cgroup without BPF_F_ALLOW_MULTI would be silently replaced, so install refuses, names it and leaves it alone.
     */
    @Test
    void installRefusesToSilentlyReplaceAForeignExclusiveCgroupProgram() throws IOException {
        Path usage = InstallHost.layout("cgroup_data_usage", "1.0.0", work);
        try (InstallHost h = InstallHost.create("e", work)) {
            Path pin = h.bpffs.resolve("foreign-cgfw");
            ExternalTool.output("bpftool", "prog", "load", ExampleObjects.dir().resolve("cgroup_firewall.o").toString(), pin.toString());
            try {
                ExternalTool.output("bpftool", "cgroup", "attach", h.cgroup.toString(), "cgroup_inet_egress", "pinned",
                        pin.toString());
                int foreign = cgroupPrograms(h.cgroup).getFirst();
                Cli.Result refused = h.run("install", usage.toString(), "--cgroup", h.cgroup.toString());
                assertEquals(1, refused.exit(), refused.out() + refused.err());
                assertTrue(refused.err().contains("clash error") && refused.err().contains("program " + foreign + " "),
                        refused.err());
                assertEquals(List.of(foreign), cgroupPrograms(h.cgroup), "the foreign program is untouched");
                assertEquals(0, JSON.readTree(h.ok("list", "-o", "json").out()).size(), "nothing recorded");
            } finally {
                for (int id : cgroupPrograms(h.cgroup)) {
                    ExternalTool.output("bpftool", "cgroup", "detach", h.cgroup.toString(), "cgroup_inet_egress", "id",
                            Integer.toString(id));
                }
                java.nio.file.Files.deleteIfExists(pin);
            }
        }
    }

    @Test
    void upgradeSwapsAtomicallyAndKeepsMapContents() throws IOException {
        Path v1 = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path v2 = InstallHost.layout("xdp_counter", "1.1.0", work);
        try (InstallHost h = InstallHost.create("u", work)) {
            h.ok("install", v1.toString(), "--iface", h.ifB, "--netns", h.nsB);
            h.ping(5);
            long before = packets(h.pins.resolve("xdp-counter/g1/maps/counters"), 1);
            int link = linkIdOf(h);
            int program = xdpProgramOn(h);
            Cli.Result r = h.ok("upgrade", "xdp-counter", "--from", v2.toString());
            assertEquals("upgraded xdp-counter from 1.0.0 to 1.1.0", r.out().strip());
            Path counters = h.pins.resolve("xdp-counter/g2/maps/counters");
            assertEquals(before, packets(counters, 1), "the counters were kept");
            assertEquals(link, linkIdOf(h), "same link: swapped by update");
            assertNotEquals(program, xdpProgramOn(h), "a new dispatcher program runs");
            assertFalse(Files.exists(h.pins.resolve("xdp-counter/g1")), "the old generation is gone");
            h.ping(3);
            assertTrue(packets(counters, 1) >= before + 3, "and goes on counting");
            assertEquals("1.1.0", JSON.readTree(h.ok("list", "-o", "json").out()).get(0).path("version").asText());

            // back to 1.0.0: a downgrade is refused (an older signed version under a newer tag can't roll a host
            // back) unless asked for; nothing changes when refused
            Cli.Result back = h.run("upgrade", "xdp-counter", "--from", v1.toString());
            assertEquals(1, back.exit(), back.out() + back.err());
            assertTrue(back.err().contains("1.0.0 is older than the installed 1.1.0")
                    && back.err().contains("--allow-downgrade"), back.err());
            assertEquals(link, linkIdOf(h), "still attached");
            assertTrue(Files.exists(counters), "the 1.1.0 generation stays");
            h.ok("upgrade", "xdp-counter", "--from", v1.toString(), "--allow-downgrade");
            assertEquals("1.0.0", JSON.readTree(h.ok("list", "-o", "json").out()).get(0).path("version").asText());
            h.ok("uninstall", "xdp-counter");
        }
    }

    @Test
    void upgradeWithAChangedMapIsRefusedUnlessMapsAreReset() throws IOException {
        Path v1 = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path source = work.resolve("xdp_counter.c");
        Path examples = ExampleObjects.dir().getParent().getParent();
        Files.writeString(source, Files.readString(examples.resolve("src/xdp_counter.c"))
                .replace("__uint(max_entries, 256);", "__uint(max_entries, 128);"));
        Path object = work.resolve("xdp_counter.o");
        BpfClang.compile(BpfClang.DEFAULT, source, object, "-I" + examples.resolve("include"),
                "-I" + examples.resolve("src"));
        try (InstallHost h = InstallHost.create("r", work)) {
            h.ok("install", v1.toString(), "--iface", h.ifB, "--netns", h.nsB);
            h.ping(2);
            Cli.Result refused = h.run("upgrade", "xdp-counter", "--from", object.toString());
            assertEquals(1, refused.exit());
            assertTrue(refused.err().contains("map counters: max entries 256 -> 128")
                    && refused.err().contains("--reset-maps"), refused.err());
            assertEquals("1.0.0", JSON.readTree(h.ok("list", "-o", "json").out()).get(0).path("version").asText());
            assertTrue(Files.exists(h.pins.resolve("xdp-counter/g1/maps/counters")));
            assertFalse(Files.exists(h.pins.resolve("xdp-counter/g2")), "nothing of the refused upgrade stays");

            h.ok("upgrade", "xdp-counter", "--from", object.toString(), "--reset-maps");
            assertEquals(0, packets(h.pins.resolve("xdp-counter/g2/maps/counters"), 1), "reset");
            h.ok("uninstall", "xdp-counter");
        }
    }

    @Test
    void tracepointPackagesAttachSideBySide() throws IOException {
        Path trace = InstallHost.layout("exec_trace", "1.0.0", work);
        try (InstallHost h = InstallHost.create("p", work);
             InstallHost.Tracefs _ = InstallHost.tracefs("install-tracefs")) {
            h.ok("install", trace.toString());
            h.ok("install", trace.toString(), "--name", "second");
            JsonNode status = JSON.readTree(h.ok("status", "exec-trace", "-o", "json").out());
            JsonNode link = object(status, "link");
            assertTrue(link.path("alive").asBoolean(), link.toString());
            JsonNode shown = JSON.readTree(ExternalTool.output("bpftool", "-j", "link", "show", "pinned",
                    h.pins.resolve("exec-trace/links/trace_exec").toString()));
            assertEquals("perf_event", shown.path("type").asText(), shown.toString());
            int program = shown.path("prog_id").asInt();
            Path dropped = h.pins.resolve("exec-trace/g1/maps/exec_dropped");
            assertTrue(programExists(program));
            h.ok("uninstall", "exec-trace");
            h.ok("uninstall", "second");
            assertFalse(programOutlives(program), "the tracepoint program is gone with its link");
            assertFalse(Files.exists(dropped));
            assertEquals(List.of(), h.pinFiles());
        }
    }

    @Test
    void doctorFindsAndRepairsOrphansAndDeadRecords() throws Exception {
        Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path portDrop = InstallHost.layout("tc_port_drop", "1.0.0", work);
        try (InstallHost h = InstallHost.create("d", work)) {
            h.ok("install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB);
            h.ok("install", portDrop.toString(), "--iface", h.ifB, "--netns", h.nsB);
            assertEquals("ok: bpffs, kernel and state database agree", h.ok("doctor").out().strip());

            // another tool's (or a crashed older version's) leftovers, and a link pin removed by hand
            Path stray = h.pins.resolve("stray/m");
            Files.createDirectories(stray.getParent());
            ExternalTool.output("bpftool", "map", "create", stray.toString(), "type", "hash", "key", "4", "value", "4",
                    "entries", "4", "name", "bst_stray");
            int strayId = JSON.readTree(ExternalTool.output("bpftool", "-j", "map", "show", "pinned", stray.toString()))
                    .path("id").asInt();
            Path extra = h.pins.resolve("xdp-counter/g1/maps/extra");
            ExternalTool.output("bpftool", "map", "create", extra.toString(), "type", "array", "key", "4", "value", "4",
                    "entries", "1", "name", "bst_extra");
            Files.delete(h.pins.resolve("tc-port-drop/links/tc_drop_port"));
            long deadline = System.nanoTime() + 10_000_000_000L; // the kernel frees an unpinned link from a work queue
            while (!tcxLinks(h).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(List.of(), tcxLinks(h), "removing the only pin detached the link");

            Cli.Result found = h.run("doctor");
            assertEquals(3, found.exit(), found.out() + found.err());
            List<String> problems = found.out().lines().filter(l -> l.startsWith("problem: ")).toList();
            assertEquals(3, problems.size(), found.out());
            assertTrue(found.out().contains(h.pins.resolve("stray") + " belongs to no installation"), found.out());
            assertTrue(found.out().contains(extra + " is not recorded for installation xdp-counter"), found.out());
            assertTrue(found.out().contains("installation tc-port-drop lost link tc_drop_port (pin missing)"), found.out());

            Cli.Result repaired = h.ok("doctor", "--repair");
            assertEquals(3, repaired.out().lines().filter(l -> l.startsWith("repaired: ")).count(), repaired.out());
            assertEquals("ok: bpffs, kernel and state database agree", h.ok("doctor").out().strip());
            JsonNode list = JSON.readTree(h.ok("list", "-o", "json").out());
            assertEquals(1, list.size());
            assertEquals("xdp-counter", list.get(0).path("name").asText());
            assertFalse(Files.exists(h.pins.resolve("tc-port-drop")));
            assertFalse(mapExists(strayId), "the orphan map was freed with its pin");
            assertTrue(xdpProgramOn(h) > 0, "the healthy installation still runs");
            h.ok("uninstall", "xdp-counter");
        }
    }

    @Test
    void aVanishedNamespaceLeavesDeadRecordsThatDoctorDrops() throws IOException {
        Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        try (InstallHost h = InstallHost.create("z", work)) {
            h.ok("install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB);
            h.ok("install", counter.toString(), "--name", "two", "--iface", h.ifB, "--netns", h.nsB);
            ExternalTool.output("ip", "netns", "del", h.nsB); // the veth goes with it; the XDP link is left detached
            assertEquals(2, JSON.readTree(h.ok("list", "-o", "json").out()).size(), "list still works");
            Cli.Result found = h.run("doctor");
            assertEquals(3, found.exit(), found.out());
            assertTrue(found.out().contains("installation two lost dispatcher link"), found.out());
            h.ok("doctor", "--repair");
            assertEquals("[ ]", h.ok("list", "-o", "json").out().strip());
            assertEquals(List.of(), h.pinFiles(), "no pin left");
        }
    }

    // ------------------------------------------------------------------ oracles

    static boolean mapExists(int id) {
        try (io.bpfstore.kernel.BpfMap m = io.bpfstore.kernel.BpfMap.fromId(id)) {
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }


    /** The XDP program id iproute2 shows on B's interface, 0 when none. */
    static int xdpProgramOn(InstallHost h) throws IOException {
        JsonNode link = JSON.readTree(ExternalTool.output("ip", "-n", h.nsB, "-j", "link", "show", "dev", h.ifB)).get(0);
        return link.path("xdp").path("prog").path("id").asInt(0);
    }

    /** The id of the dispatcher link pinned for B's interface, as bpftool reads the pin. */
    static int linkIdOf(InstallHost h) throws IOException {
        Path pin = h.pins.resolve("dispatch/xdp-" + h.nsB + "-" + h.ifB + "/link");
        return JSON.readTree(ExternalTool.output("bpftool", "-j", "link", "show", "pinned", pin.toString())).path("id").asInt();
    }

    /** The id of installation {@code name}'s tcx link, as bpftool reads its pin. */
    static int linkOf(InstallHost h, String name) throws IOException {
        Path pin = h.pins.resolve(name + "/links/tc_drop_port");
        return JSON.readTree(ExternalTool.output("bpftool", "-j", "link", "show", "pinned", pin.toString())).path("id").asInt();
    }

    /** The tcx ingress links of B's interface in run order, as the kernel reports them. */
    static List<Integer> tcxLinks(InstallHost h) {
        return Tcx.query(Interface.named(h.ifB), Netns.named(h.nsB), Direction.INGRESS).linkIds();
    }

    /** Packets counted under {@code key} in a per-CPU xdp_counter map, summed over CPUs by bpftool. */
    static long packets(Path map, int key) throws IOException {
        JsonNode entry = JSON.readTree(ExternalTool.output("bpftool", "-j", "map", "lookup", "pinned", map.toString(), "key",
                Integer.toString(key), "0", "0", "0"));
        long sum = 0;
        for (JsonNode v : entry.path("formatted").path("values")) {
            sum += v.path("value").path("packets").asLong();
        }
        return sum;
    }

    /** The program ids bpftool lists on a cgroup (bpftool prints nothing at all for an empty one). */
    static List<Integer> cgroupPrograms(Path cgroup) throws IOException {
        String text = ExternalTool.output("bpftool", "-j", "cgroup", "show", cgroup.toString()).strip();
        List<Integer> ids = new ArrayList<>();
        if (!text.isEmpty()) {
            JSON.readTree(text).forEach(n -> ids.add(n.path("id").asInt()));
        }
        return ids;
    }

    /**
     * Whether program {@code id} still exists after up to 2 s: the kernel frees a program whose last link went
     * from deferred (RCU) work, so it can outlive the detach that released it by a moment.
     */
    static boolean programOutlives(int id) {
        for (int i = 0; i < 40 && programExists(id); i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return programExists(id);
    }

    static boolean programExists(int id) {
        try (BpfProgram p = BpfProgram.fromId(id)) {
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static JsonNode object(JsonNode status, String kind) {
        for (JsonNode o : status.path("objects")) {
            if (o.path("kind").asText().equals(kind)) {
                return o;
            }
        }
        throw new AssertionError("no " + kind + " in " + status);
    }
}
