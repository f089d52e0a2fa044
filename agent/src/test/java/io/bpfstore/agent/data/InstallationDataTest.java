package io.bpfstore.agent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.agent.AgentTestHost;
import io.bpfstore.install.InstallService;
import io.bpfstore.install.InstallationStatus;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.testsupport.ExternalTool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Map contents decoded with the object's BTF, against {@code bpftool map dump -j} (its {@code formatted} part) as the
 * oracle: a per-CPU array of structs (xdp_counter) and an LRU hash with a struct key holding arrays (tc_flow_bytes),
 * after real traffic between the test namespaces.
 */
class InstallationDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void decodedMapsMatchBpftoolsFormattedDump() throws Exception {
        try (AgentTestHost h = AgentTestHost.create("d", work)) {
            for (String ns : List.of(h.nsA, h.nsB)) {
                ExternalTool.output("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
            }
            h.install("xdp_counter", "counter", h.xdpB());
            h.install("tc_flow_bytes", "flows", h.tcB(TcMode.TCX));
            InstallService in = h.service();
            ExternalTool.output("ip", "netns", "exec", h.nsA, "ping", "-q", "-c", "4", "-i", "0.05", "-W", "1", "10.79.0.2");

            AssertionError last = null;
            for (int attempt = 0; attempt < 3; attempt++) { // a stray packet between the two reads: read both again
                try {
                    compare(in.observe("counter").status(), "counters", true);
                    compare(in.observe("flows").status(), "flows", false);
                    last = null;
                    break;
                } catch (AssertionError e) {
                    last = e;
                    Thread.sleep(300);
                }
            }
            if (last != null) {
                throw last;
            }

            List<Map<String, Object>> counters = InstallationData.read(in.observe("counter").status(),
                    Optional.of("counters"));
            long icmp = counters.stream().filter(e -> e.get("key").equals(1L))
                    .mapToLong(e -> (Long) ((Map<?, ?>) e.get("value")).get("packets")).sum();
            assertTrue(icmp >= 4, "the summed per-CPU value counts the echo requests (ICMP, key 1): " + icmp);
            DataException e = assertThrows(DataException.class,
                    () -> InstallationData.read(in.observe("counter").status(), Optional.of("nope")));
            assertEquals("counter has no map nope (its maps: counters)", e.getMessage());
        }
    }

    private static void compare(InstallationStatus status, String map, boolean perCpu) throws Exception {
        Path pin = status.objects().stream().filter(o -> o.name().equals(map)).findFirst().orElseThrow().pin();
        List<Map<String, Object>> ours = InstallationData.read(status, Optional.of(map));
        JsonNode oracle = JSON.readTree(ExternalTool.output("bpftool", "-j", "map", "dump", "pinned", pin.toString()));
        assertEquals(oracle.size(), ours.size(), map + ": entries");
        assertTrue(ours.size() > 0, map + " has entries");
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (JsonNode entry : oracle) {
            expected.add(entry.path("formatted").toString());
        }
        for (Map<String, Object> entry : ours) {
            Map<String, Object> formatted = new java.util.LinkedHashMap<>();
            formatted.put("key", entry.get("key"));
            formatted.put(perCpu ? "values" : "value", entry.get(perCpu ? "values" : "value"));
            actual.add(JSON.readTree(JSON.writeValueAsString(formatted)).toString());
        }
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual, map);
    }
}
