package io.bpfstore.agent.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.agent.api.AgentJson;
import io.bpfstore.agent.api.ApiException;
import io.bpfstore.install.api.HookKind;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.InstallResult;
import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.Target;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.install.api.TrafficDirection;
import io.bpfstore.install.api.Trust;
import io.bpfstore.install.api.UpgradeRequest;
import io.bpfstore.install.api.UpgradeResult;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The client's streaming JSON against the oracle the agent itself uses, {@link AgentJson} (databind): what the
 * agent writes reads back to the same records, and what the client writes is the document databind writes.
 */
class ClientJsonTest {
    private static final ObjectMapper AGENT = AgentJson.mapper();

    private static InstallationView xdp() {
        return new InstallationView("xdp-counter", "examples/xdp-counter", "1.0.0", "sha256:ab", "/tmp/l\u00e4yout",
                Optional.of("SHA256:key"), HookKind.XDP, "xdp on veth1 (netns \"blue\")", Optional.of("veth1"),
                Optional.of("blue"), Optional.empty(), Optional.empty(), Optional.empty(), List.of("xdp_count"), 50,
                List.of("pass", "dispatcher_return"), true, 3, "2026-12-08T00:00:00Z");
    }

    private static InstallationView tc() {
        return new InstallationView("drop\n\u001b[31m", "ns/tc", "2.0.0", "sha256:cd", "ns/tc@2.0.0", Optional.empty(),
                HookKind.TC, "tc egress on eth0", Optional.of("eth0"), Optional.empty(),
                Optional.of(TrafficDirection.EGRESS), Optional.of(TcMode.LEGACY), Optional.empty(), List.of("a", "b"),
                1000, List.of(), false, 1, "2026-12-08T00:00:01Z");
    }

    private static InstallationView cgroup() {
        return new InstallationView("fw", "ns/fw", "0.1.0", "sha256:ef", "fw.o", Optional.empty(), HookKind.CGROUP,
                "cgroup /sys/fs/cgroup/x", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("/sys/fs/cgroup/x"), List.of("egress"), 7, List.of(), false, 2, "2026-12-08T00:00:02Z");
    }

    @Test
    void readsWhatTheAgentWrites() throws Exception {
        List<InstallationView> all = List.of(xdp(), tc(), cgroup());
        assertEquals(all, ClientJson.installations(AGENT.writeValueAsBytes(Map.of("installations", all))));
        assertEquals(List.of(), ClientJson.installations(AGENT.writeValueAsBytes(Map.of("installations", List.of()))));

        InstallResult installed = new InstallResult(tc(), List.of("clash: shadows \"x\""), List.of("first", "drop"));
        assertEquals(installed, ClientJson.installResult(AGENT.writeValueAsBytes(installed)));
        UpgradeResult upgraded = new UpgradeResult(xdp(), "0.9.0", List.of("xdp-counter"));
        assertEquals(upgraded, ClientJson.upgradeResult(AGENT.writeValueAsBytes(upgraded)));
    }

    @Test
    void writesWhatTheAgentWouldReadAndWrite() throws Exception {
        Map<String, String> globals = new LinkedHashMap<>();
        globals.put("port", "8080");
        globals.put("name", "\u00e9t\u00e9\t\"x\"");
        List<InstallRequest> requests = List.of(
                InstallRequest.of("/tmp/layout", Target.none(), Trust.defaults()),
                new InstallRequest("ns/pkg@1.0.0", new Target(Optional.of("eth0"), Optional.of("blue"),
                        Optional.of(TrafficDirection.EGRESS), Optional.of(TcMode.TCX), Optional.of("/sys/fs/cgroup/x")),
                        Optional.of("prog"), Optional.of("inst"), Optional.of(7), Optional.of(List.of("pass", "drop")),
                        true, true, new Trust(Optional.of("http://r"), List.of("/k1.pem", "/k2.pem"), true,
                        Optional.of("/p.yaml"), true), globals));
        for (InstallRequest r : requests) {
            byte[] body = ClientJson.write(r);
            assertEquals(AGENT.valueToTree(r), AGENT.readTree(body), new String(body, StandardCharsets.UTF_8));
            assertEquals(r, AGENT.readValue(body, InstallRequest.class), "the agent reads the same request");
        }
        UpgradeRequest up = new UpgradeRequest("xdp-counter@1.1.0", Optional.of("/tmp/l"), true,
                new Trust(Optional.empty(), List.of(), false, Optional.empty()), true);
        assertEquals(AGENT.valueToTree(up), AGENT.readTree(ClientJson.write(up)));
        assertEquals(up, AGENT.readValue(ClientJson.write(up), UpgradeRequest.class));
    }

    @Test
    void errorsAndMalformedDocuments() {
        assertEquals(Optional.of("no installation \"x\""), ClientJson.error("{\"error\":\"no installation \\\"x\\\"\"}"
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), ClientJson.error("Bad Gateway".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), ClientJson.error("{\"message\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        for (String bad : List.of("", "[]", "{\"installations\": [1]}", "{\"installations\": [{\"name\": 1}]}",
                "{\"installations\": [{\"hook\": \"XDP\", \"surprise\": true}]}",
                "{\"installations\": [{\"hook\": \"nowhere\"}]}", "{\"installations\": []} {}",
                "{\"installations\": [{\"name\": \"x\"}]}", "{\"installations\": [")) {
            ApiException e = assertThrows(ApiException.class,
                    () -> ClientJson.installations(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertEquals(502, e.status(), bad);
            assertTrue(e.getMessage().startsWith("the agent answered with an unexpected document: "), e.getMessage());
        }
    }
}
