package io.bpfstore.agent.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.agent.AgentTestHost;
import io.bpfstore.agent.event.AgentEvent;
import io.bpfstore.agent.event.EventKind;
import io.bpfstore.agent.local.StateSource;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch against the real kernel: other tools (tc, ip, bpftool, rm) change what bpfstore installed in the test
 * namespaces, and each change must come out as an event within 2 s, in the clash check's words. Oracles: the
 * tools' own views ({@code tc -j filter show}, {@code ip -j link}) for the ids the events name. The latency of each
 * is printed (docs/agent-observe.md quotes it).
 */
class HostWatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(2);

    @TempDir
    Path work;

    private final LinkedBlockingQueue<AgentEvent> events = new LinkedBlockingQueue<>();

    @Test
    void foreignTcFilterInFrontOfALegacyTcPackageIsReportedWithWhatItHides() throws Exception {
        try (AgentTestHost h = AgentTestHost.create("t", work)) {
            h.install("tc_port_drop", "drop", h.tcB(TcMode.LEGACY));
            try (HostWatch w = HostWatch.start(new StateSource(h.layout), events::add, options(h))) {
                assertQuiet();
                Path foreign = ExampleObjects.dir().resolve("tc_flow_bytes.o");
                long start = System.nanoTime();
                ExternalTool.output("tc", "-n", h.nsB, "filter", "add", "dev", h.ifB, "ingress", "pref", "1", "bpf", "da",
                        "obj", foreign.toString(), "sec", "tc");
                AgentEvent e = await(EventKind.FOREIGN_PROGRAM, start, "foreign tc filter (rtnetlink, polled)");
                int id = 0;
                for (JsonNode f : JSON.readTree(ExternalTool.output("tc", "-n", h.nsB, "-j", "filter", "show", "dev", h.ifB, "ingress"))) {
                    if (f.path("pref").asInt() == 1 && f.path("options").has("prog")) {
                        id = f.path("options").path("prog").path("id").asInt();
                    }
                }
                assertEquals(Integer.toString(id), e.details().get("program_id"), e.toString());
                assertEquals(Optional.of("drop"), e.installation());
                assertTrue(e.message().contains("runs before tc_drop_port of drop"), e.message());
                assertTrue(e.message().contains("never reaches tc_drop_port"), e.message());
                assertQuiet(); // reported once, not on every look
            }
        }
    }

    @Test
    void detachedXdpLinkThenAForeignXdpProgramAreReported() throws Exception {
        try (AgentTestHost h = AgentTestHost.create("x", work)) {
            h.install("xdp_counter", "counter", h.xdpB());
            try (HostWatch w = HostWatch.start(new StateSource(h.layout), events::add, options(h))) {
                assertQuiet();
                int link = h.service().observe("counter").status().dispatcher().orElseThrow().id();
                long start = System.nanoTime();
                ExternalTool.output("bpftool", "link", "detach", "id", Integer.toString(link));
                AgentEvent detached = await(EventKind.LINK_DETACHED, start, "link detached (polled)");
                assertTrue(detached.message().contains("counter (xdp-counter") && detached.message().contains("no longer runs"),
                        detached.message());

                start = System.nanoTime();
                ExternalTool.output("ip", "-n", h.nsB, "link", "set", "dev", h.ifB, "xdpgeneric", "obj",
                        ExampleObjects.dir().resolve("xdp_counter.o").toString(), "sec", "xdp");
                AgentEvent foreign = await(EventKind.FOREIGN_PROGRAM, start, "foreign XDP program (polled)");
                JsonNode dev = JSON.readTree(ExternalTool.output("ip", "-n", h.nsB, "-j", "-d", "link", "show", h.ifB)).get(0);
                assertEquals(dev.path("xdp").path("prog").path("id").asText(), foreign.details().get("program_id"));
                assertTrue(foreign.message().contains("without a link"), foreign.message());
                ExternalTool.output("ip", "-n", h.nsB, "link", "set", "dev", h.ifB, "xdpgeneric", "off");
            }
        }
    }

    @Test
    void removedPinsAndARemovedNamespaceAreReported() throws Exception {
        try (AgentTestHost h = AgentTestHost.create("p", work)) {
            h.install("xdp_counter", "counter", h.xdpB());
            try (HostWatch w = HostWatch.start(new StateSource(h.layout), events::add, options(h))) {
                assertQuiet();
                for (int k = 0; k < 5; k++) {
                    long t0 = System.nanoTime();
                    w.look();
                    System.out.printf("watch: one look with 1 XDP installation: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
                }
                Path pin = h.layout.generation("counter", 1).resolve("maps").resolve("counters");
                assertTrue(Files.exists(pin), pin.toString());
                long start = System.nanoTime();
                Files.delete(pin);
                AgentEvent e = await(EventKind.PINS_REMOVED, start, "pin removed (inotify)");
                assertTrue(e.message().contains(pin.toString()) && e.message().contains("still runs"), e.message());

                start = System.nanoTime();
                ExternalTool.output("ip", "netns", "del", h.nsB);
                AgentEvent gone = await(EventKind.TARGET_GONE, start, "namespace removed (polled)");
                assertTrue(gone.message().contains("network namespace " + h.nsB + " was removed"), gone.message());
            }
        }
    }

    private static HostWatch.Options options(AgentTestHost h) {
        return new HostWatch.Options(Duration.ofMillis(500), Optional.of(h.layout.bpffs()), Clock.systemUTC());
    }

    /** Nothing is reported while nothing changes (the first looks see a healthy installation). */
    private void assertQuiet() throws InterruptedException {
        AgentEvent e = events.poll(1200, TimeUnit.MILLISECONDS);
        assertEquals(null, e, () -> "unexpected event " + e);
    }

    private AgentEvent await(EventKind kind, long start, String what) throws InterruptedException {
        long deadline = start + LIMIT.toNanos();
        while (true) {
            AgentEvent e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no " + kind + " event within " + LIMIT + " (" + what + ")");
            }
            if (e.kind() == kind) {
                System.out.printf("watch latency: %s: %d ms%n", what, (System.nanoTime() - start) / 1_000_000);
                return e;
            }
        }
    }

}
