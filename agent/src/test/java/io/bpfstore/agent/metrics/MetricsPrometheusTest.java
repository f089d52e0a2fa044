package io.bpfstore.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.agent.AgentTestHost;
import io.bpfstore.agent.local.StateSource;
import io.bpfstore.agent.watch.HostWatch;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.PrometheusProcess;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's and the registry's {@code /metrics} scraped by a real Prometheus, asked with PromQL over its HTTP API.
 * Oracles: Prometheus itself (it must parse what we export and name the series as we say), bpftool (a map's
 * max_entries and memlock bytes), ping (packets through the installed programs), tc (a foreign filter that the
 * watch counts as an event).
 */
class MetricsPrometheusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PINGS = 6;

    @TempDir
    Path work;

    @Test
    void prometheusScrapesTheAgentAndTheRegistry() throws Exception {
        try (AgentTestHost h = AgentTestHost.create("m", work)) {
            h.install("xdp_counter", "counter", h.xdpB());
            h.install("tc_flow_bytes", "flows", h.tcB(TcMode.TCX));
            StateSource source = new StateSource(h.layout);
            try (AgentMetrics metrics = AgentMetrics.start(source);
                 MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), metrics);
                 HostWatch watch = HostWatch.start(source, metrics.events(), new HostWatch.Options(Duration.ofMillis(500),
                         Optional.of(h.layout.bpffs()), Clock.systemUTC()));
                 RegistryServer registry = RegistryServer.start(RegistryConfig.of("127.0.0.1", 0, work.resolve("registry")))) {
                ExternalTool.output("ip", "netns", "exec", h.nsA, "ping", "-q", "-c", Integer.toString(PINGS), "-i", "0.05",
                        "-W", "1", "10.79.0.2");
                // a foreign legacy tc filter after the tcx package: one foreign_program event
                ExternalTool.output("tc", "-n", h.nsB, "qdisc", "add", "dev", h.ifB, "clsact");
                ExternalTool.output("tc", "-n", h.nsB, "filter", "add", "dev", h.ifB, "ingress", "bpf", "da", "obj",
                        ExampleObjects.dir().resolve("tc_port_drop.o").toString(), "sec", "tc");
                HttpClient http = HttpClient.newHttpClient();
                for (String path : new String[] {"/v2/", "/v2/_catalog", "/api/v1/packages", "/nowhere"}) {
                    http.send(HttpRequest.newBuilder(registry.uri().resolve(path)).build(), HttpResponse.BodyHandlers.discarding());
                }

                Map<String, String> targets = new LinkedHashMap<>();
                targets.put("agent", "127.0.0.1:" + server.address().getPort());
                targets.put("registry", "127.0.0.1:" + registry.port());
                try (PrometheusProcess prometheus = PrometheusProcess.start(work.resolve("prometheus"), targets)) {
                    JsonNode events = awaitSeries(prometheus, "bpfstore_events_total{kind=\"foreign_program\"} > 0");
                    assertEquals(1.0, value(events.get(0)), "one foreign program event: " + events);

                    JsonNode runs = awaitSeries(prometheus, "bpfstore_program_run_count_total{installation=\"flows\"}");
                    assertEquals("tc_flow_account", runs.get(0).path("metric").path("program").asText());
                    assertEquals("tc-flow-bytes", runs.get(0).path("metric").path("package").asText());
                    assertTrue(value(runs.get(0)) >= PINGS, "at least the echo requests ran it: " + runs);
                    double seconds = value(awaitSeries(prometheus, "bpfstore_program_run_seconds_total{installation=\"flows\"}").get(0));
                    assertTrue(seconds > 0 && seconds < 0.01 * value(runs.get(0)), "under 10 ms a run: " + seconds);
                    double dispatcher = value(awaitSeries(prometheus, "bpfstore_xdp_dispatcher_run_count_total").get(0));
                    assertTrue(dispatcher >= PINGS, "the XDP dispatcher saw the echo requests: " + dispatcher);

                    Path counters = h.layout.generation("counter", 1).resolve("maps").resolve("counters");
                    // the composed member's runs, counted by the dispatcher: every frame it saw, which xdp_counter
                    // itself counts (every frame under some protocol key): at least the pings, at most what the
                    // program has counted by the time we read its map
                    JsonNode member = awaitSeries(prometheus, "bpfstore_program_run_count_total{installation=\"counter\"}");
                    assertEquals("xdp_count", member.get(0).path("metric").path("program").asText());
                    double memberRuns = value(member.get(0));
                    assertTrue(memberRuns >= PINGS, "the member ran for each echo request: " + member);
                    assertTrue(memberRuns <= framesCounted(counters), "no more runs than frames xdp_counter counted");
                    assertTrue(awaitSeries(prometheus, "absent(bpfstore_program_run_seconds_total{installation=\"counter\"})")
                            .size() == 1, "a member's run time is not measured");
                    JsonNode map = JSON.readTree(ExternalTool.output("bpftool", "-j", "map", "show", "pinned", counters.toString()));
                    assertEquals(map.path("max_entries").asDouble(), value(awaitSeries(prometheus,
                            "bpfstore_map_entries{installation=\"counter\",map=\"counters\"}").get(0)), "an array holds max_entries");
                    assertEquals(map.path("bytes_memlock").asDouble(), value(awaitSeries(prometheus,
                            "bpfstore_map_memory_bytes{installation=\"counter\",map=\"counters\"}").get(0)), "bpftool's bytes_memlock");

                    JsonNode info = awaitSeries(prometheus, "bpfstore_installation_info{installation=\"counter\"}");
                    assertEquals("xdp-counter", info.get(0).path("metric").path("package").asText());
                    assertEquals("xdp on " + h.ifB + " (netns " + h.nsB + ")", info.get(0).path("metric").path("hook").asText());
                    assertEquals(2, awaitSeries(prometheus, "bpfstore_installation_healthy == 1").size(), "both healthy");
                    assertTrue(awaitSeries(prometheus, "sum(bpfstore_host_programs{type=\"sched_cls\"})").size() == 1,
                            "the foreign tc filter's program is counted by type");

                    JsonNode requests = awaitSeries(prometheus, "bpfstore_registry_requests_total{route=\"catalog\"}");
                    assertTrue(value(requests.get(0)) >= 1, requests.toString());
                    assertTrue(value(awaitSeries(prometheus, "sum(bpfstore_registry_request_duration_seconds_count)").get(0)) >= 4);
                    assertEquals(0.0, value(awaitSeries(prometheus, "bpfstore_registry_packages").get(0)), "an empty catalog");
                    awaitSeries(prometheus, "bpfstore_registry_stored_bytes");
                    awaitSeries(prometheus, "bpfstore_registry_requests_total{route=\"web\",status=\"404\"}");
                }
            }
        }
    }

    /** The result of {@code promql} once it has at least one series (Prometheus scrapes every second; up to 15 s). */
    private static JsonNode awaitSeries(PrometheusProcess prometheus, String promql) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode answer;
        do {
            answer = JSON.readTree(prometheus.query(promql));
            assertEquals("success", answer.path("status").asText(), answer.toString());
            if (!answer.path("data").path("result").isEmpty()) {
                return answer.path("data").path("result");
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no series for " + promql + ": " + answer + "\ntargets: " + prometheus.targets());
    }

    /** xdp_counter's packets over every protocol key and CPU (struct counter { u64 packets; u64 bytes; }). */
    private static long framesCounted(Path pin) {
        long sum = 0;
        try (io.bpfstore.kernel.BpfMap map = io.bpfstore.kernel.BpfMap.openPinned(pin)) {
            for (int key = 0; key < 256; key++) {
                byte[] k = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(key).array();
                java.nio.ByteBuffer v = java.nio.ByteBuffer.wrap(map.lookup(k).orElseThrow())
                        .order(java.nio.ByteOrder.nativeOrder());
                for (int at = 0; at + 16 <= v.capacity(); at += 16) {
                    sum += v.getLong(at);
                }
            }
        }
        return sum;
    }

    private static double value(JsonNode sample) {
        return Double.parseDouble(sample.path("value").get(1).asText());
    }

}
