package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.agent.api.ApiException;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.Target;
import io.bpfstore.install.api.Trust;
import io.bpfstore.install.api.UpgradeRequest;
import java.util.Optional;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The agent on a real kernel: the CLI through its socket (child JVMs, as users run it), callers told apart by
 * SO_PEERCRED (curl as uid 65534 is the independent client), bad requests refused without change, 50 concurrent
 * clients, and restore after a simulated reboot shown by real traffic. Oracles: iproute2, bpftool, ping, curl.
 */
class AgentTest extends InstallHostTest {
    private static InstallRequest xdp(Path layout, InstallHost h, String name, Optional<Integer> priority) {
        return new InstallRequest(layout.toString(), Target.iface(h.ifB, Optional.of(h.nsB)), Optional.empty(),
                Optional.of(name), priority, Optional.empty(), false, false, trust(h), java.util.Map.of());
    }

    private static InstallRequest xdp(Path layout, InstallHost h, String name) {
        return xdp(layout, h, name, Optional.empty());
    }

    private static Trust trust(InstallHost h) {
        return new Trust(Optional.empty(), List.of(), false, Optional.of(h.policy.toString()));
    }

    @Test
    void cliGoesThroughTheAgentLoadingNoKernelCodeAndTrafficIsCounted() throws IOException {
        Path v1 = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path v2 = InstallHost.layout("xdp_counter", "1.1.0", work);
        try (InstallHost h = InstallHost.create("g", work); AgentHost a = new AgentHost(h, work)) {
            AgentHost.Run r = a.cli(List.of(), "install", v1.toString(), "--iface", h.ifB, "--netns", h.nsB,
                    "--policy", h.policy.toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().startsWith("installed xdp-counter (examples/xdp-counter 1.0.0) on xdp on " + h.ifB), r.out());
            assertNotEquals(0, InstallCommandsTest.xdpProgramOn(h), "ip link shows an XDP program");
            h.ping(5);
            assertTrue(InstallCommandsTest.packets(h.pins.resolve("xdp-counter/g1/maps/counters"), 1) >= 5);

            Path classes = work.resolve("classes.log");
            r = a.cli(List.of("-Xlog:class+load=info:file=" + classes), "list", "-o", "json");
            assertEquals(0, r.exit(), r.err());
            assertEquals("examples/xdp-counter", JSON.readTree(r.out()).get(0).path("package").asText());
            String loaded = Files.readString(classes);
            assertTrue(loaded.contains("io.bpfstore.agent.client.AgentClient"), "list went through the agent's client");
            for (String forbidden : List.of("io.bpfstore.kernel.", "io.bpfstore.analysis.", "io.bpfstore.registry.",
                    "io.bpfstore.agent.local.", "org.sqlite.")) {
                assertFalse(loaded.contains(forbidden), "the client path loaded " + forbidden);
            }

            r = a.cli(List.of(), "upgrade", "xdp-counter", "--from", v2.toString(), "--policy", h.policy.toString());
            assertEquals(0, r.exit(), r.err());
            assertEquals("upgraded xdp-counter from 1.0.0 to 1.1.0", r.out().strip());
            assertTrue(InstallCommandsTest.packets(h.pins.resolve("xdp-counter/g2/maps/counters"), 1) >= 5,
                    "map contents carried over");

            JsonNode inventory = a.client().inventory();
            int running = InstallCommandsTest.xdpProgramOn(h);
            assertTrue(inventory.path("programs").valueStream().anyMatch(p -> p.path("id").asInt() == running),
                    "the inventory lists the program ip link shows");
            JsonNode kinds = JSON.valueToTree(a.agent.events().recent(Optional.of("xdp-counter")).stream()
                    .map(e -> e.kind().label()).toList());
            assertEquals("[\"installed\",\"upgraded\"]", kinds.toString());

            r = a.cli(List.of(), "uninstall", "xdp-counter");
            assertEquals(0, r.exit(), r.err());
            assertEquals(0, InstallCommandsTest.xdpProgramOn(h));
            assertEquals(List.of(), h.pinFiles());
        }
    }

    @Test
    void anyUserMayReadOnlyRootMayChangeAndBadRequestsChangeNothing() throws IOException {
        Path v1 = InstallHost.layout("xdp_counter", "1.0.0", work);
        try (InstallHost h = InstallHost.create("p", work); AgentHost a = new AgentHost(h, work)) {
            a.client().install(xdp(v1, h, "kept"));
            Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            String before = a.client().list().toString();

            AgentHost.Run read = asNobody(a, "GET", "/v1/installations", null);
            assertTrue(read.out().endsWith("200"), read.out());
            assertTrue(read.out().contains("\"kept\""), read.out());
            AgentHost.Run delete = asNobody(a, "DELETE", "/v1/installations/kept", null);
            assertTrue(delete.out().endsWith("403"), delete.out());
            assertEquals(2, delete.out().lines().filter(l -> !l.isBlank()).count(), "one line and the status: " + delete.out());
            assertTrue(delete.out().contains("\"error\":\"user nobody (group nogroup) may only read"), delete.out());

            expect(a, 400, "POST", "/v1/installations", "{\"pkg\": ");
            expect(a, 400, "POST", "/v1/installations", "{\"reference\": \"x\", \"no_such_field\": 1}");
            expect(a, 400, "POST", "/v1/installations", "[1,2]");
            expect(a, 413, "POST", "/v1/installations", "{\"reference\": \"" + "a".repeat(70_000) + "\"}");
            expect(a, 404, "DELETE", "/v1/installations/missing", null);
            expect(a, 404, "GET", "/v1/installations/missing", null);
            expect(a, 400, "GET", "/v1/installations/Bad%20Name", null);
            expect(a, 404, "PUT", "/v1/follow/missing", "{\"versions\": \"^1.0.0\"}");
            expect(a, 400, "PUT", "/v1/follow/kept", "{\"versions\": \"^one\"}");
            expect(a, 404, "GET", "/v2/installations", null);
            expect(a, 405, "PATCH", "/v1/installations", "{}");
            expect(a, 422, "POST", "/v1/installations", "{\"reference\": \"" + work.resolve("nothing.o")
                    + "\", \"target\": {\"iface\": \"" + h.ifB + "\"}, \"trust\": {\"allow_unsigned\": true}}");
            expect(a, 422, "POST", "/v1/installations", "{\"reference\": \"" + v1 + "\"}");
            expect(a, 400, "POST", "/v1/installations", "{\"target\": {}}");
            assertEquals(before, a.client().list().toString(), "nothing changed");
            assertEquals(0, a.client().followRules().path("rules").size());

            ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                    () -> a.client().upgrade(new UpgradeRequest("missing", Optional.of(v1.toString()), false, trust(h), false)));
            assertEquals(404, e.status());
            a.client().uninstall("kept");
        }
    }

    @Test
    void fiftyConcurrentClientsAllGetAnswers() throws Exception {
        Path v1 = InstallHost.layout("xdp_counter", "1.0.0", work);
        try (InstallHost h = InstallHost.create("n", work); AgentHost a = new AgentHost(h, work)) {
            ExecutorService pool = Executors.newFixedThreadPool(50);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    int n = i;
                    Callable<String> call = n % 10 == 0
                            ? () -> a.client().install(xdp(v1, h, "c" + n)).installation().name()
                            : () -> a.client().list().stream().allMatch(v -> v.name().startsWith("c")) ? "LIST" : "?";
                    answers.add(pool.submit(call));
                }
                for (int i = 0; i < 50; i++) {
                    assertEquals(i % 10 == 0 ? "c" + i : "LIST", answers.get(i).get());
                }
            } finally {
                pool.shutdownNow();
            }
            List<InstallationView> list = a.client().list();
            assertEquals(5, list.size(), list.toString());
            assertEquals(List.of(), a.client().doctor(false).problems());
            for (InstallationView i : list) {
                a.client().uninstall(i.name());
            }
            assertEquals(List.of(), h.pinFiles());
        }
    }

    @Test
    void restoreAfterASimulatedRebootBringsEveryInstallationBack() throws Exception {
        Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        try (InstallHost h = InstallHost.create("r", work); AgentHost a = new AgentHost(h, work)) {
            a.client().install(xdp(counter, h, "before"));
            a.client().install(xdp(counter, h, "after", Optional.of(80)));
            h.ping(3);
            a.stop();
            // the reboot: bpffs gone (pins, and with them the dispatcher's link and every program), a fresh one mounted
            ExternalTool.output("umount", h.bpffs.toString());
            assertEquals(0, AgentHost.awaitNoXdp(h), "no XDP program left once the pins are gone");
            ExternalTool.output("mount", "-t", "bpf", "bpf", h.bpffs.toString());

            a.start();
            assertEquals(java.util.Set.of("restored before", "restored after"), java.util.Set.copyOf(a.agent.restored()));
            assertNotEquals(0, InstallCommandsTest.xdpProgramOn(h), "the dispatcher runs again");
            h.ping(4);
            assertTrue(InstallCommandsTest.packets(h.pins.resolve("before/g1/maps/counters"), 1) >= 4, "first runs again");
            assertTrue(InstallCommandsTest.packets(h.pins.resolve("after/g1/maps/counters"), 1) >= 4, "second runs again");
            assertEquals(List.of("after", "before"), a.client().list().stream().map(InstallationView::name).toList());
            assertTrue(a.agent.events().recent(Optional.empty()).stream()
                    .filter(e -> e.kind().label().equals("restored")).count() == 2);
            a.client().uninstall("before");
            a.client().uninstall("after");
            assertEquals(List.of(), h.pinFiles());
        }
    }

    @Test
    void followUpgradesThroughTheGatesKeepsMapsAndSurvivesARegistryOutage() throws Exception {
        System.setProperty("bpfstore.config", work.resolve("config/config.yaml").toString());
        Path v1 = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path v11 = InstallHost.layout("xdp_counter", "1.1.0", work);
        Path v2 = InstallHost.layout("xdp_counter", "2.0.0", work);
        Path registryDir = work.resolve("registry");
        Files.createDirectories(registryDir);
        try (io.bpfstore.testsupport.DockerRegistryProcess registry =
                     io.bpfstore.testsupport.DockerRegistryProcess.start(registryDir);
             InstallHost h = InstallHost.create("f", work); AgentHost a = new AgentHost(h, work)) {
            assertEquals(0, Cli.run("push", v1.toString(), "--registry", registry.url()).exit());
            Trust trust = new Trust(Optional.of(registry.url()), List.of(), true, Optional.of(h.policy.toString()));
            a.client().install(new InstallRequest("examples/xdp-counter@1.0.0", Target.iface(h.ifB, Optional.of(h.nsB)),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, false, trust, java.util.Map.of()));
            h.ping(4);
            long counted = InstallCommandsTest.packets(h.pins.resolve("xdp-counter/g1/maps/counters"), 1);
            assertTrue(counted >= 4);
            a.client().follow("xdp-counter", new io.bpfstore.agent.api.FollowRule(null, "^1.0.0", 1, trust, null, null, null));

            assertEquals(0, Cli.run("push", v2.toString(), "--registry", registry.url()).exit());
            assertEquals(0, Cli.run("push", v11.toString(), "--registry", registry.url()).exit());
            AgentHost.awaitEvent(a, "follow_upgraded");
            InstallationView now = a.client().list().getFirst();
            assertEquals("1.1.0", now.version(), "the newest in ^1.0.0, not 2.0.0");
            assertEquals(2, now.generation());
            assertTrue(InstallCommandsTest.packets(h.pins.resolve("xdp-counter/g2/maps/counters"), 1) >= counted,
                    "map contents carried over");
            assertNotEquals(0, InstallCommandsTest.xdpProgramOn(h));

            registry.close();
            AgentHost.awaitEvent(a, "follow_error");
            Thread.sleep(3000); // three more polls against the dead registry
            assertEquals(1, a.agent.events().recent(Optional.of("xdp-counter")).stream()
                    .filter(e -> e.kind().label().equals("follow_error")).count(), "one event per outage");
            assertEquals("1.1.0", a.client().list().getFirst().version(), "nothing changed");
            a.client().unfollow("xdp-counter");
            a.client().uninstall("xdp-counter");
            assertEquals(List.of(), h.pinFiles());
        } finally {
            System.clearProperty("bpfstore.config");
        }
    }

    @Test
    void agentKilledAtEveryStepIsCompletedOrRolledBackByTheNextStart() throws Exception {
        Path v1 = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path v2 = InstallHost.layout("xdp_counter", "1.1.0", work);
        try (InstallHost h = InstallHost.create("k", work)) {
            for (String step : List.of("install-begin", "install-loaded", "install-attached")) {
                AgentHost.killAgentAt(h, work, step, c -> c.install(xdp(v1, h, "victim")));
                restartAgent(h);
                InstallCrashTest.assertConsistent(h, List.of());
            }
            h.ok("install", v1.toString(), "--name", "base", "--iface", h.ifB, "--netns", h.nsB);
            for (String step : List.of("upgrade-begin", "upgrade-loaded", "upgrade-swapped")) {
                AgentHost.killAgentAt(h, work, step, c -> c.upgrade(new UpgradeRequest("base", Optional.of(v2.toString()), false, trust(h), false)));
                restartAgent(h);
                InstallCrashTest.assertConsistent(h, List.of("base"));
                String version = JSON.readTree(h.ok("list", "-o", "json").out()).get(0).path("version").asText();
                assertEquals(step.equals("upgrade-swapped") ? "1.1.0" : "1.0.0", version, "after a kill at " + step);
                if (version.equals("1.1.0")) {
                    h.ok("upgrade", "base", "--from", v1.toString(), "--allow-downgrade"); // back for the next step
                }
            }
            AgentHost.killAgentAt(h, work, "uninstall-begin", c -> c.uninstall("base"));
            restartAgent(h);
            InstallCrashTest.assertConsistent(h, List.of());
        }
    }

    /** The next start of the agent: it finishes or rolls back what the killed one left (then stops again). */
    private void restartAgent(InstallHost h) {
        new AgentHost(h, work).close();
    }

    /** A request by curl running as uid/gid 65534: its output ends with the status code. */
    private static AgentHost.Run asNobody(AgentHost a, String method, String path, String body) throws IOException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid", "65534", "--regid", "65534",
                "--clear-groups", "curl", "-sS", "--unix-socket", a.socket.toString(), "-X", method,
                "-w", "\n%{http_code}", "http://localhost" + path));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
        }
        return AgentHost.exec(command, Map.of());
    }

    private static void expect(AgentHost a, int status, String method, String path, String body) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--unix-socket", a.socket.toString(), "-X", method,
                "-w", "\n%{http_code}", "http://localhost" + path));
        Path file = null;
        if (body != null) {
            file = Files.createTempFile("bst-agent-body", ".json");
            Files.writeString(file, body);
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", "@" + file));
        }
        AgentHost.Run r;
        try {
            r = AgentHost.exec(command, Map.of());
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
        List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(Integer.toString(status), lines.getLast(), method + " " + path + ": " + r.out() + r.err());
        assertEquals(2, lines.size(), "a one-line error: " + r.out());
        assertTrue(JSON.readTree(lines.getFirst()).path("error").asText().length() > 5, r.out());
    }
}
