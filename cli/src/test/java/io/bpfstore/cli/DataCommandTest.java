package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bpfstore data}: an installed xdp_counter's per-CPU array as JSON lines after real traffic, against bpftool's
 * formatted dump; an unknown map is one clear line. (The decoding is checked entry for entry in the agent module's
 * InstallationDataTest.)
 */
class DataCommandTest extends InstallHostTest {
    @Test
    void printsDecodedEntriesAsJsonLines() throws Exception {
        Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        try (InstallHost h = InstallHost.create("v", work)) {
            h.ok("install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB);
            h.ping(3);
            Cli.Result r = h.ok("data", "xdp-counter", "--map", "counters", "-o", "json");
            List<JsonNode> lines = new ArrayList<>();
            for (String line : r.out().strip().split("\n")) {
                lines.add(JSON.readTree(line));
            }
            JsonNode oracle = JSON.readTree(Cli.tool("bpftool", "-j", "map", "dump", "pinned",
                    h.pins.resolve("xdp-counter/g1/maps/counters").toString()));
            assertEquals(oracle.size(), lines.size(), "one line per entry");
            JsonNode icmp = lines.stream().filter(l -> l.path("key").asInt() == 1).findFirst().orElseThrow();
            assertEquals("counters", icmp.path("map").asText());
            assertTrue(icmp.path("value").path("packets").asLong() >= 3, icmp.toString());
            assertEquals(oracle.get(1).path("formatted").path("values"), icmp.path("values"), "per CPU as bpftool");

            Cli.Result bad = h.run("data", "xdp-counter", "--map", "nope");
            assertEquals(1, bad.exit());
            assertEquals("bpfstore data: xdp-counter has no map nope (its maps: counters)", bad.err().strip());
            h.ok("uninstall", "xdp-counter");
        }
    }
}
