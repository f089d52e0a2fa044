package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Installs racing each other on one XDP hook: two bpfstore processes and two threads of this one, started together,
 * each composing its package into the same dispatcher. Without the state directory's lock one would recompose the
 * dispatcher from a member list that misses another's, or two would write the database at once. Oracles: every
 * installation recorded, {@code doctor} and the kernel agreeing, and ping traffic counted by all four packages'
 * own maps (so all four really run in the composed program).
 */
class InstallConcurrencyTest extends InstallHostTest {
    @Test
    void fourInstallsAtOnceFromTwoProcessesAndTwoThreadsAllEndUpComposed() throws Exception {
        Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        try (InstallHost h = InstallHost.create("r", work)) {
            List<Process> processes = new ArrayList<>();
            for (String name : List.of("proc-a", "proc-b")) {
                processes.add(new ProcessBuilder(h.javaCommand("install", counter.toString(), "--name", name, "--iface",
                        h.ifB, "--netns", h.nsB)).redirectErrorStream(true).start());
            }
            List<CompletableFuture<Cli.Result>> threads = new ArrayList<>();
            for (String name : List.of("thread-a", "thread-b")) {
                threads.add(CompletableFuture.supplyAsync(() -> h.run("install", counter.toString(), "--name", name,
                        "--iface", h.ifB, "--netns", h.nsB)));
            }
            for (Process p : processes) {
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(180, TimeUnit.SECONDS), "an install process hung");
                assertEquals(0, p.exitValue(), output);
            }
            for (CompletableFuture<Cli.Result> t : threads) {
                Cli.Result r = t.get(180, TimeUnit.SECONDS);
                assertEquals(0, r.exit(), r.err() + r.out());
            }
            List<String> names = List.of("proc-a", "proc-b", "thread-a", "thread-b");
            InstallCrashTest.assertConsistent(h, names);
            JsonNode status = JSON.readTree(h.ok("status", "proc-a", "-o", "json").out());
            assertEquals(1, status.path("generation").asInt());
            h.ping(5);
            for (String name : names) {
                assertTrue(InstallCommandsTest.packets(h.pins.resolve(name + "/g1/maps/counters"), 1) >= 5,
                        name + " runs in the composed dispatcher");
            }
            for (String name : names) {
                h.ok("uninstall", name);
            }
            InstallCrashTest.assertConsistent(h, List.of());
        }
    }
}
