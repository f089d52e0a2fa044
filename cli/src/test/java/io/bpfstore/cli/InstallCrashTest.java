package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.testsupport.ExternalTool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Crash safety: {@code bpfstore install}, {@code upgrade} and {@code uninstall} run as separate processes, paused
 * at each journaled step ({@code BPFSTORE_PAUSE_AT}) and killed with SIGKILL there; the next command must leave no
 * orphaned program, link or pin, and the state database must agree with the kernel. Oracles: iproute2 (the
 * interface's XDP program), bpftool (the dispatcher link's program, map contents), the kernel's tcx query, and
 * {@code bpfstore doctor}'s comparison of every pin with the records.
 */
class InstallCrashTest extends InstallHostTest {
    @Test
    void killedInstallsAreRolledBack() throws Exception {
        Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path firewall = InstallHost.layout("xdp_firewall", "1.0.0", work);
        Path portDrop = InstallHost.layout("tc_port_drop", "1.0.0", work);
        try (InstallHost h = InstallHost.create("k", work)) {
            h.ok("install", counter.toString(), "--name", "base", "--iface", h.ifB, "--netns", h.nsB, "--priority", "10");
            int baseProgram = InstallCommandsTest.xdpProgramOn(h);
            for (String step : List.of("install-begin", "install-loaded", "install-attached")) {
                killAt(h, step, "install", firewall.toString(), "--name", "victim", "--iface", h.ifB, "--netns", h.nsB);
                Cli.Result next = h.ok("list", "-o", "json");
                assertTrue(next.err().contains("rolled back the interrupted install of victim (at " + step + ")"),
                        next.err());
                assertConsistent(h, List.of("base"));
                if (step.equals("install-begin")) {
                    assertEquals(baseProgram, InstallCommandsTest.xdpProgramOn(h), "the hook was never touched");
                }
            }
            killAt(h, "install-attached", "install", portDrop.toString(), "--iface", h.ifB, "--netns", h.nsB);
            h.ok("list");
            assertEquals(List.of(), InstallCommandsTest.tcxLinks(h), "the killed install's tcx link is gone");
            assertConsistent(h, List.of("base"));
            h.ok("uninstall", "base");
            assertConsistent(h, List.of());
        }
    }

    @Test
    void killedUpgradesRollBackBeforeTheSwapAndCompleteAfterIt() throws Exception {
        Path v1 = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path v2 = InstallHost.layout("xdp_counter", "1.1.0", work);
        try (InstallHost h = InstallHost.create("v", work)) {
            h.ok("install", v1.toString(), "--name", "base", "--iface", h.ifB, "--netns", h.nsB);
            h.ping(3);
            long counted = InstallCommandsTest.packets(h.pins.resolve("base/g1/maps/counters"), 1);
            for (String step : List.of("upgrade-begin", "upgrade-loaded")) {
                killAt(h, step, "upgrade", "base", "--from", v2.toString());
                Cli.Result next = h.ok("list", "-o", "json");
                assertTrue(next.err().contains("rolled back the interrupted upgrade of base"), next.err());
                assertEquals("1.0.0", JSON.readTree(next.out()).get(0).path("version").asText());
                assertConsistent(h, List.of("base"));
                assertEquals(counted, InstallCommandsTest.packets(h.pins.resolve("base/g1/maps/counters"), 1));
            }
            killAt(h, "upgrade-swapped", "upgrade", "base", "--from", v2.toString());
            Cli.Result next = h.ok("list", "-o", "json");
            assertTrue(next.err().contains("completed the interrupted upgrade of base"), next.err());
            assertEquals("1.1.0", JSON.readTree(next.out()).get(0).path("version").asText());
            assertConsistent(h, List.of("base"));
            assertEquals(counted, InstallCommandsTest.packets(h.pins.resolve("base/g2/maps/counters"), 1),
                    "the map contents survived the interrupted upgrade");
            h.ok("uninstall", "base");
            assertConsistent(h, List.of());

            // a tc installation: its link is updated in place, and pointed back on rollback
            Path tc1 = InstallHost.layout("tc_port_drop", "1.0.0", work);
            Path tc2 = InstallHost.layout("tc_port_drop", "1.1.0", work);
            h.ok("install", tc1.toString(), "--iface", h.ifB, "--netns", h.nsB);
            int link = InstallCommandsTest.linkOf(h, "tc-port-drop");
            killAt(h, "upgrade-loaded", "upgrade", "tc-port-drop", "--from", tc2.toString());
            h.ok("list");
            assertEquals(programPinned(h.pins.resolve("tc-port-drop/g1/programs/tc_drop_port")), linkProgram(h, link));
            killAt(h, "upgrade-swapped", "upgrade", "tc-port-drop", "--from", tc2.toString());
            h.ok("list");
            assertEquals(programPinned(h.pins.resolve("tc-port-drop/g2/programs/tc_drop_port")), linkProgram(h, link));
            assertEquals(List.of(link), InstallCommandsTest.tcxLinks(h), "the same link, updated");
            assertConsistent(h, List.of("tc-port-drop"));
            h.ok("uninstall", "tc-port-drop");
            assertConsistent(h, List.of());
        }
    }

    private static int programPinned(Path pin) throws IOException {
        return JSON.readTree(ExternalTool.output("bpftool", "-j", "prog", "show", "pinned", pin.toString())).path("id").asInt();
    }

    private static int linkProgram(InstallHost h, int link) throws IOException {
        return JSON.readTree(ExternalTool.output("bpftool", "-j", "link", "show", "id", Integer.toString(link))).path("prog_id")
                .asInt();
    }

    @Test
    void killedUninstallsAreCompleted() throws Exception {
        Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path portDrop = InstallHost.layout("tc_port_drop", "1.0.0", work);
        try (InstallHost h = InstallHost.create("n", work)) {
            h.ok("install", counter.toString(), "--name", "base", "--iface", h.ifB, "--netns", h.nsB, "--priority", "10");
            for (String step : List.of("uninstall-begin", "uninstall-detached", "uninstall-unpinned")) {
                h.ok("install", counter.toString(), "--name", "victim", "--iface", h.ifB, "--netns", h.nsB);
                killAt(h, step, "uninstall", "victim");
                Cli.Result next = h.ok("list", "-o", "json");
                assertTrue(next.err().contains("completed the interrupted uninstall of victim"), next.err());
                assertConsistent(h, List.of("base"));
            }
            h.ok("install", portDrop.toString(), "--iface", h.ifB, "--netns", h.nsB);
            killAt(h, "uninstall-begin", "uninstall", "tc-port-drop");
            h.ok("list");
            assertEquals(List.of(), InstallCommandsTest.tcxLinks(h));
            assertConsistent(h, List.of("base"));
            h.ok("uninstall", "base");
            assertConsistent(h, List.of());
        }
    }

    /** Runs bpfstore in a new JVM until it pauses at {@code step}, then kills it with SIGKILL. */
    static void killAt(InstallHost h, String step, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(h.javaCommand(args)).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("BPFSTORE_PAUSE_AT", step);
        Process p = pb.start();
        try {
            CompletableFuture<String> paused = CompletableFuture.supplyAsync(() -> {
                StringBuilder seen = new StringBuilder();
                try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = err.readLine(); line != null; line = err.readLine()) {
                        seen.append(line).append('\n');
                        if (line.equals("paused at " + step)) {
                            return "paused";
                        }
                    }
                } catch (IOException e) {
                    seen.append(e);
                }
                return seen.toString();
            });
            String outcome = paused.get(180, TimeUnit.SECONDS);
            assertEquals("paused", outcome, "bpfstore " + String.join(" ", args) + " did not pause at " + step);
        } finally {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /**
     * The database agrees with the kernel and the bpffs: exactly {@code names} are installed, doctor finds nothing,
     * every recorded object is alive, and the interface runs the recorded dispatcher (or no XDP program at all).
     */
    static void assertConsistent(InstallHost h, List<String> names) throws IOException {
        JsonNode list = JSON.readTree(h.ok("list", "-o", "json").out());
        List<String> installed = new ArrayList<>();
        boolean xdp = false;
        for (JsonNode i : list) {
            installed.add(i.path("name").asText());
            xdp |= i.path("hook").asText().equals("xdp");
            JsonNode status = JSON.readTree(h.ok("status", i.path("name").asText(), "-o", "json").out());
            for (JsonNode o : status.path("objects")) {
                assertTrue(o.path("alive").asBoolean(), "recorded object gone: " + o);
            }
        }
        assertEquals(names, installed);
        Cli.Result doctor = h.ok("doctor");
        assertEquals("ok: bpffs, kernel and state database agree", doctor.out().strip());
        int running = InstallCommandsTest.xdpProgramOn(h);
        if (xdp) {
            Path pin = h.pins.resolve("dispatch/xdp-" + h.nsB + "-" + h.ifB + "/link");
            int linked = JSON.readTree(ExternalTool.output("bpftool", "-j", "link", "show", "pinned", pin.toString()))
                    .path("prog_id").asInt();
            assertEquals(linked, running, "the interface runs the recorded dispatcher");
        } else {
            assertEquals(0, running, "no XDP program left on the interface");
            assertEquals(List.of(), h.pinFiles().stream().filter(p -> p.toString().contains("/dispatch/")).toList());
        }
        if (names.isEmpty()) {
            assertEquals(List.of(), h.pinFiles(), "no pin left");
        }
    }
}
