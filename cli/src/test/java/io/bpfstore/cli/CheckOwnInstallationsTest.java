package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code check --host} knows bpfstore's own installations (issue 14, item 4): with a state database, the XDP
 * dispatcher and the tcx links bpfstore attached are not foreign, so no finding tells the user to detach them. The
 * same host read without that state database (an empty state directory) reports the dispatcher as a foreign XDP
 * program — the control showing the check reads the kernel and not the database.
 */
class CheckOwnInstallationsTest extends InstallHostTest {
    @Test
    void bpfstoresDispatcherAndLinksAreNotForeign() throws IOException {
        Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path portDrop = InstallHost.layout("tc_port_drop", "1.0.0", work);
        Path firewall = Cli.objectsDir().resolve("xdp_firewall.o");
        Path tcObject = Cli.objectsDir().resolve("tc_port_drop.o");
        try (InstallHost h = InstallHost.create("k", work)) {
            h.ok("install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB);
            h.ok("install", portDrop.toString(), "--iface", h.ifB, "--netns", h.nsB);
            int dispatcher = InstallCommandsTest.xdpProgramOn(h);
            assertTrue(dispatcher > 0, "the dispatcher runs on the interface");

            Cli.Result known = h.run("check", "--host", "--netns", h.nsB, "--iface", h.ifB, "-o", "json",
                    firewall.toString(), tcObject.toString());
            assertEquals(0, known.exit(), known.err() + known.out());
            for (JsonNode f : findings(known)) {
                String text = f.toString();
                assertFalse(text.contains("\"id\":" + dispatcher + ",") || text.contains("bst_xdp_disp"),
                        "a finding about bpfstore's own dispatcher: " + text);
                assertFalse(f.path("class").asText().equals("exclusive-hook")
                        && f.path("severity").asText().equals("error"), text);
                assertFalse(text.contains("xdp off"), "a fix telling the user to detach the dispatcher: " + text);
            }

            Path empty = work.resolve("no-state");
            Files.createDirectories(empty);
            Cli.Result blind = Cli.run("check", "--host", "--netns", h.nsB, "--iface", h.ifB, "-o", "json",
                    "--state-dir", empty.toString(), "--bpffs", empty.toString(), firewall.toString());
            assertEquals(CheckCommand.CLASH, blind.exit(), blind.err() + blind.out());
            assertTrue(findings(blind).stream().anyMatch(f -> f.path("class").asText().equals("exclusive-hook")
                            && f.toString().contains("\"id\":" + dispatcher + ",")),
                    "without the state database the dispatcher is a foreign XDP program: " + blind.out());

            h.ok("uninstall", "xdp-counter");
            h.ok("uninstall", "tc-port-drop");
        }
    }

    private static List<JsonNode> findings(Cli.Result r) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.out()).path("findings").forEach(out::add);
        return out;
    }
}
