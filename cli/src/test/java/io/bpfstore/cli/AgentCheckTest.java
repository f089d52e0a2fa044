package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bpfstore check --host} answered by the agent ({@code POST /v1/check}): the same report as the CLI's own
 * process gives (the in-process run is the oracle), the same exit status, no clash-analysis code loaded in the CLI.
 * And {@code status}'s run rates through the agent, against the pace of a real ping between the test's namespaces.
 */
class AgentCheckTest extends InstallHostTest {
    @Test
    void checkHostThroughTheAgentMatchesTheInProcessCheck() throws Exception {
        try (InstallHost h = InstallHost.create("q", work); AgentHost a = new AgentHost(h, work)) {
            // a foreign program holds the XDP hook without a link: checking an XDP package there is a clash error
            ExternalTool.output("ip", "-n", h.nsB, "link", "set", "dev", h.ifB, "xdpgeneric", "obj",
                    ExampleObjects.dir().resolve("xdp_counter.o").toString(), "sec", "xdp");
            try {
                String object = ExampleObjects.dir().resolve("xdp_firewall.o").toString();
                Path classes = work.resolve("check-classes.log");
                AgentHost.Run viaAgent = a.cli(List.of("-Xlog:class+load=info:file=" + classes), "check", "--host",
                        "--iface", h.ifB, "--netns", h.nsB, object);
                AgentHost.Run local = a.cli(List.of(), "check", "--host", "--no-agent", "--iface", h.ifB,
                        "--netns", h.nsB, object);
                assertEquals(3, viaAgent.exit(), viaAgent.out() + viaAgent.err());
                assertEquals(local.exit(), viaAgent.exit());
                assertEquals(local.out(), viaAgent.out(), "the agent's report is the in-process one");
                assertTrue(viaAgent.out().contains("without a link"), viaAgent.out());
                String loaded = Files.readString(classes);
                assertTrue(loaded.contains("io.bpfstore.agent.client.AgentClient"), "check went through the agent");
                assertFalse(loaded.contains("io.bpfstore.analysis.clash.ClashDetector "), "no clash analysis in the CLI");

                AgentHost.Run json = a.cli(List.of(), "check", "--host", "--iface", h.ifB, "--netns", h.nsB,
                        "-o", "json", object);
                JsonNode report = JSON.readTree(json.out());
                assertTrue(report.path("errors").asInt() >= 1, json.out());
                assertFalse(report.has("lines"), "the JSON is check's own: " + json.out());
                assertEquals(JSON.readTree(a.cli(List.of(), "check", "--host", "--no-agent", "--iface", h.ifB,
                        "--netns", h.nsB, "-o", "json", object).out()), report);
            } finally {
                ExternalTool.output("ip", "-n", h.nsB, "link", "set", "dev", h.ifB, "xdpgeneric", "off");
            }
        }
    }

    @Test
    void statusShowsRunRatesOfRealTraffic() throws Exception {
        Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        try (InstallHost h = InstallHost.create("s", work); AgentHost a = new AgentHost(h, work);
             io.bpfstore.kernel.RunStatistics stats = io.bpfstore.kernel.RunStatistics.enable()) {
            assertEquals(0, a.cli(List.of(), "install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB,
                    "--policy", h.policy.toString()).exit());
            // about 50 echo requests a second into B's XDP hook (for up to 40 s), while status watches 2 s of it
            Process ping = new ProcessBuilder("ip", "netns", "exec", h.nsA, "ping", "-q", "-i", "0.02", "-c", "2000",
                    "10.78.0.2").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                Thread.sleep(1000);
                AgentHost.Run r = a.cli(List.of(), "status", "xdp-counter", "-o", "json", "--window", "2s");
                assertEquals(0, r.exit(), r.err());
                JsonNode status = JSON.readTree(r.out());
                assertTrue(status.path("rate_window_seconds").asDouble() >= 2, r.out());
                double fastest = 0;
                for (JsonNode o : status.path("objects")) {
                    fastest = Math.max(fastest, o.path("runs_per_second").asDouble());
                    // a composed XDP member's runs are counted by the dispatcher without their time: no ns_per_run
                    if (o.has("ns_per_run")) {
                        assertTrue(o.path("ns_per_run").asDouble() > 0, o.toString());
                    }
                }
                // ping sends at most 50/s; ARP and a loaded machine make it a little more or less
                assertTrue(fastest >= 10 && fastest <= 80, "runs/s of the hook's program: " + r.out());
                String text = a.cli(List.of(), "status", "xdp-counter", "--window", "500ms").out();
                assertTrue(text.contains("RUNS/S") && text.contains("over the last"), text);
            } finally {
                ping.destroy();
                ping.waitFor();
            }
            a.client().uninstall("xdp-counter");
        }
    }
}
