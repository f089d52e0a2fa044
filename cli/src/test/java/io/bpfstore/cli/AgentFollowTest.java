package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.agent.api.FollowRule;
import io.bpfstore.agent.event.AgentEvent;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.Target;
import io.bpfstore.install.api.Trust;
import io.bpfstore.registry.auth.Publishers;
import io.bpfstore.registry.server.DataDirectory;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Follow against bpfstore's own registry (which answers an unchanged tag list with {@code 304}): polls are
 * conditional (the registry's own request counter by status is the oracle), a new version that clashes with a
 * foreign XDP program that took the hook since the install (bpftool detached the dispatcher's link, iproute2
 * attached its own without a link) is refused by install's clash
 * check, recorded and not retried,
 * and a kill -9 of the agent at each step of a follow-driven upgrade is completed or rolled back by the next start
 * with nothing orphaned.
 */
class AgentFollowTest extends InstallHostTest {
    private static final String PACKAGE = "examples/tc-port-drop";
    private static final String COUNTER = "examples/xdp-counter";

    private RegistryServer server;
    private RegistryClient publisher;

    private void startRegistry() throws Exception {
        Path data = work.resolve("registry");
        String token;
        try (MetadataStore meta = DataDirectory.openMetadata(data)) {
            token = new Publishers(meta.accounts()).create("examples-team", List.of("examples")).token();
        }
        server = RegistryServer.start(RegistryConfig.of("127.0.0.1", 0, data));
        publisher = new RegistryClient(url(), Optional.of(new Credentials("examples-team", token)));
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private void push(String version) throws Exception {
        push("tc_port_drop", PACKAGE, version);
    }

    private void push(String example, String repository, String version) throws Exception {
        Path layout = InstallHost.layout(example, version, work.resolve(example));
        publisher.push(OciLayout.read(layout, Optional.empty()), repository, version, PushOptions.DEFAULT);
    }

    private Trust trust(InstallHost h) {
        return new Trust(Optional.of(url().toString()), List.of(), true, Optional.of(h.policy.toString()));
    }

    private void install(AgentHost a, InstallHost h, String reference, String name) {
        a.client().install(new InstallRequest(reference, Target.iface(h.ifB, Optional.of(h.nsB)),
                Optional.empty(), Optional.of(name), Optional.empty(), Optional.empty(), false, false, trust(h), Map.of()));
    }

    /** The registry's count of tag-list requests answered with {@code status}, from its own {@code /metrics}. */
    private long tagRequests(int status) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("bpfstore_registry_requests_total\\{[^}]*route=\"tags\"[^}]*status=\"" + status
                + "\"[^}]*} ([0-9.e+]+)").matcher(text);
        long n = 0;
        while (m.find()) {
            n += (long) Double.parseDouble(m.group(1));
        }
        return n;
    }

    @Test
    void followPollsConditionallyAndRefusesAVersionThatClashesWithTheHostAsItIsNow() throws Exception {
        startRegistry();
        try (InstallHost h = InstallHost.create("w", work); AgentHost a = new AgentHost(h, work)) {
            push("xdp_counter", COUNTER, "1.0.0");
            install(a, h, COUNTER + "@1.0.0", "counter");
            a.client().follow("counter", new FollowRule(null, "^1.0.0", 1, trust(h), null, null, null));
            Thread.sleep(3500);
            assertTrue(tagRequests(304) >= 2, "unchanged tag lists are answered 304: " + tagRequests(304));
            assertTrue(tagRequests(200) >= 1, "the first poll gets the list");

            // another tool takes the XDP hook: detaches bpfstore's dispatcher link and attaches its own program
            // without a link; a new version must not be swapped in over it
            ExternalTool.output("bpftool", "link", "detach", "id", Integer.toString(InstallCommandsTest.linkIdOf(h)));
            ExternalTool.output("ip", "-n", h.nsB, "link", "set", "dev", h.ifB, "xdpgeneric", "obj",
                    ExampleObjects.dir().resolve("xdp_counter.o").toString(), "sec", "xdp");
            int foreign = InstallCommandsTest.xdpProgramOn(h);
            try {
                push("xdp_counter", COUNTER, "1.1.0");
                AgentHost.awaitEvent(a, "follow_refused");
                AgentEvent refused = events(a, "follow_refused").getFirst();
                assertTrue(refused.message().startsWith("1.1.0 refused") && refused.message().contains("clash error")
                        && refused.message().contains("without a link"), refused.message());
                assertEquals("1.0.0", a.client().list().getFirst().version(), "nothing changed");
                assertEquals(1, a.client().list().getFirst().generation());
                FollowRule rule = a.agent.follow().get("counter").orElseThrow();
                assertEquals("1.1.0", rule.refusedVersion());
                Thread.sleep(3000);
                assertEquals(1, events(a, "follow_refused").size(), "a refusal is not retried until something changes");
                assertEquals(foreign, InstallCommandsTest.xdpProgramOn(h), "the foreign program is left alone");
            } finally {
                ExternalTool.output("ip", "-n", h.nsB, "link", "set", "dev", h.ifB, "xdpgeneric", "off");
            }
            server.close();
            AgentHost.awaitEvent(a, "follow_error");
            assertEquals("1.0.0", a.client().list().getFirst().version(), "registry down: nothing changed");
            a.client().unfollow("counter");
            a.client().uninstall("counter");
            assertEquals(List.of(), h.pinFiles());
        } finally {
            server.close();
        }
    }

    @Test
    void agentKilledAtEachStepOfAFollowDrivenUpgradeIsCompletedOrRolledBack() throws Exception {
        startRegistry();
        try (InstallHost h = InstallHost.create("v", work)) {
            push("1.0.0");
            push("1.1.0");
            try (AgentHost a = new AgentHost(h, work)) {
                install(a, h, PACKAGE + "@1.0.0", "drop");
            }
            for (String step : List.of("upgrade-begin", "upgrade-loaded", "upgrade-swapped")) {
                Path rules = h.state.resolve("follow.json");
                Files.writeString(rules, io.bpfstore.agent.api.AgentJson.mapper().writeValueAsString(List.of(new FollowRule("drop", "^1.0.0", 1, trust(h),
                        null, null, null))));
                AgentHost.killAgentAt(h, work, step, client -> { }); // the follow ticker starts the upgrade itself
                Files.delete(rules); // the next start only finishes what the killed one left
                new AgentHost(h, work).close();
                InstallCrashTest.assertConsistent(h, List.of("drop"));
                String version = JSON.readTree(h.ok("list", "-o", "json").out()).get(0).path("version").asText();
                assertEquals(step.equals("upgrade-swapped") ? "1.1.0" : "1.0.0", version, "after a kill at " + step);
                if (version.equals("1.1.0")) {
                    try (AgentHost a = new AgentHost(h, work)) {
                        a.client().upgrade(new io.bpfstore.install.api.UpgradeRequest("drop@1.0.0", Optional.empty(),
                                false, trust(h), true));
                    }
                }
            }
            // a follow-driven upgrade that recovery completed is restored after a reboot as the version it completed
            Path rules = h.state.resolve("follow.json");
            Files.writeString(rules, io.bpfstore.agent.api.AgentJson.mapper().writeValueAsString(List.of(
                    new FollowRule("drop", "^1.0.0", 1, trust(h), null, null, null))));
            AgentHost.killAgentAt(h, work, "upgrade-swapped", client -> { });
            Files.delete(rules);
            new AgentHost(h, work).close();
            ExternalTool.output("umount", h.bpffs.toString());
            ExternalTool.output("mount", "-t", "bpf", "bpf", h.bpffs.toString());
            try (AgentHost a = new AgentHost(h, work)) {
                assertEquals(List.of("restored drop"), a.agent.restored());
                assertEquals("1.1.0", a.client().list().getFirst().version());
                InstallCrashTest.assertConsistent(h, List.of("drop"));
                a.client().uninstall("drop");
            }
            assertEquals(List.of(), h.pinFiles());
        } finally {
            server.close();
        }
    }

    private static List<AgentEvent> events(AgentHost a, String kind) {
        return a.agent.events().recent(Optional.of("counter")).stream().filter(e -> e.kind().label().equals(kind)).toList();
    }
}
