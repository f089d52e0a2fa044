package io.bpfstore.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.agent.AgentTestHost;
import io.bpfstore.agent.local.StateSource;
import io.bpfstore.install.InstallationStatus.ObjectStatus;
import io.bpfstore.install.Pin;
import io.bpfstore.install.api.Target;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.install.api.TrafficDirection;
import io.bpfstore.testsupport.ExternalTool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One scrape after another as the host changes under the agent: what each says against the kernel as bpftool reads
 * it, and against Prometheus's own linter ({@code promtool check metrics}). The health series must turn to 0 at the
 * next scrape after another tool detached a link (tcx, and the XDP dispatcher's) or removed a pin, and an uninstalled
 * program must be gone from the kernel (the agent keeps no descriptor).
 */
class MetricsScrapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void scrapesFollowTheKernel() throws Exception {
        try (AgentTestHost h = AgentTestHost.create("s", work)) {
            h.install("tc_flow_bytes", "flows", h.tcB(TcMode.TCX));
            // on the other direction: a tcx program that passes a packet ends the hook's chain there
            h.install("tc_port_drop", "drop", new Target(Optional.of(h.ifB), Optional.of(h.nsB),
                    Optional.of(TrafficDirection.EGRESS), Optional.of(TcMode.TCX), Optional.empty()));
            h.install("xdp_counter", "counter", h.xdpB());
            try (AgentMetrics metrics = AgentMetrics.start(new StateSource(h.layout))) {
                String text = scrape(metrics);
                lint(text);
                Map<String, String> s = samples(text);
                assertEquals("1", s.get("bpfstore_installation_healthy{installation=\"flows\"}"), text);
                assertEquals("1", s.get("bpfstore_installation_healthy{installation=\"drop\"}"), text);
                assertEquals("1", s.get("bpfstore_installation_healthy{installation=\"counter\"}"), text);

                ExternalTool.output("ip", "netns", "exec", h.nsA, "ping", "-q", "-c", "3", "-i", "0.05", "-W", "1", h.addressB);
                s = samples(scrape(metrics));
                // the flows map (an LRU hash) against bpftool's dump and charge, read after the scrape: no traffic since
                Path flowsMap = pin(h, "flows", Pin.Kind.MAP);
                JsonNode dump = JSON.readTree(ExternalTool.output("bpftool", "-j", "map", "dump", "pinned", flowsMap.toString()));
                JsonNode show = JSON.readTree(ExternalTool.output("bpftool", "-j", "map", "show", "pinned", flowsMap.toString()));
                String mapLabels = "{installation=\"flows\",map=\"flows\",package=\"tc-flow-bytes\"}";
                assertTrue(dump.size() > 0, "the pings made flows: " + dump);
                assertEquals(Integer.toString(dump.size()), s.get("bpfstore_map_entries" + mapLabels));
                assertEquals(show.path("bytes_memlock").asText(), s.get("bpfstore_map_memory_bytes" + mapLabels));
                // run count and time of the tcx program: bpftool reads them after the scrape, so at least as many
                JsonNode prog = JSON.readTree(ExternalTool.output("bpftool", "-j", "prog", "show", "pinned",
                        pin(h, "flows", Pin.Kind.PROGRAM).toString()));
                String progLabels = "{installation=\"flows\",package=\"tc-flow-bytes\",program=\"tc_flow_account\"}";
                long runs = Long.parseLong(s.get("bpfstore_program_run_count_total" + progLabels));
                assertTrue(runs >= 3 && runs <= prog.path("run_cnt").asLong(), runs + " vs " + prog);
                double seconds = Double.parseDouble(s.get("bpfstore_program_run_seconds_total" + progLabels));
                assertTrue(seconds > 0 && seconds <= prog.path("run_time_ns").asLong() / 1e9, seconds + " vs " + prog);

                // another tool detaches drop's tcx link: drop is unhealthy at the next scrape, flows on the same hook is not
                ExternalTool.output("bpftool", "link", "detach", "id", Integer.toString(id(h, "drop", Pin.Kind.LINK)));
                s = samples(scrape(metrics));
                assertEquals("0", s.get("bpfstore_installation_healthy{installation=\"drop\"}"));
                assertEquals("1", s.get("bpfstore_installation_healthy{installation=\"flows\"}"));

                // the XDP dispatcher's link detached: the member is unhealthy
                int dispatcher = h.service().observe("counter").status().dispatcher().orElseThrow().id();
                ExternalTool.output("bpftool", "link", "detach", "id", Integer.toString(dispatcher));
                s = samples(scrape(metrics));
                assertEquals("0", s.get("bpfstore_installation_healthy{installation=\"counter\"}"));

                // a removed map pin: unhealthy, and no map series for it any more
                Files.delete(flowsMap);
                s = samples(scrape(metrics));
                assertEquals("0", s.get("bpfstore_installation_healthy{installation=\"flows\"}"));
                assertFalse(s.containsKey("bpfstore_map_entries" + mapLabels), s.toString());

                // uninstalled between scrapes: its series go, and nothing the agent holds keeps its program loaded
                int dropProgram = id(h, "drop", Pin.Kind.PROGRAM);
                h.service().uninstall("drop");
                text = scrape(metrics);
                lint(text);
                assertFalse(text.contains("installation=\"drop\""), text);
                assertFalse(ExternalTool.run("bpftool", "prog", "show", "id", Integer.toString(dropProgram)).succeeded(),
                        "program " + dropProgram + " is unloaded");
            }
        }
    }

    private static String scrape(AgentMetrics metrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Series to value, from the text format (each sample line: series, one space, value). */
    private static Map<String, String> samples(String text) {
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return out;
    }

    /** {@code promtool check metrics}: Prometheus's parser and linter (naming, HELP, TYPE, units) find nothing. */
    private static void lint(String text) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool check metrics: " + said + "\n" + text);
    }

    private static ObjectStatus object(AgentTestHost h, String installation, Pin.Kind kind) {
        return h.service().observe(installation).status().objects().stream().filter(o -> o.kind() == kind).findFirst()
                .orElseThrow();
    }

    private static Path pin(AgentTestHost h, String installation, Pin.Kind kind) {
        return object(h, installation, kind).pin();
    }

    private static int id(AgentTestHost h, String installation, Pin.Kind kind) {
        return object(h, installation, kind).id();
    }
}
