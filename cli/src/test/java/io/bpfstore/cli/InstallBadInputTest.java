package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.testsupport.ExampleObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the installation commands: unknown package, interface, namespace or cgroup, a package without a
 * program for the hook, conflicting flags. Each gets one line on stderr naming the problem and exit status 1, and
 * leaves nothing attached (iproute2 shows no XDP program, the kernel no tcx link), pinned or recorded.
 */
class InstallBadInputTest {
    @TempDir
    static Path work;
    private static InstallHost host;
    private static Path counter;
    private static Path portDrop;

    @BeforeAll
    static void setUp() throws Exception {
        counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        portDrop = InstallHost.layout("tc_port_drop", "1.0.0", work);
        host = InstallHost.create("b", work);
    }

    @AfterAll
    static void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void unknownThingsAreNamed() {
        InstallHost h = host;
        refused("unknown package /nonexistent/pkg.o", "install", "/nonexistent/pkg.o", "--iface", h.ifB, "--netns", h.nsB);
        refused("unknown interface bst-nope in network namespace " + h.nsB, "install", counter.toString(),
                "--iface", "bst-nope", "--netns", h.nsB);
        refused("unknown network namespace bst-nope-ns", "install", counter.toString(), "--iface", h.ifB,
                "--netns", "bst-nope-ns");
        refused("unknown cgroup " + h.cgroup.resolve("nope"), "install",
                ExampleObjects.dir().resolve("cgroup_data_usage.o").toString(), "--cgroup", h.cgroup.resolve("nope").toString());
        refused("xdp-counter has no cgroup program (its programs: xdp_count (xdp))", "install", counter.toString(),
                "--cgroup", h.cgroup.toString());
        refused("xdp-counter has no program nope", "install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB,
                "--program", "nope");
        refused("xdp-counter needs a hook: pass --iface IF (XDP, tc) or --cgroup PATH", "install", counter.toString());
        refused("nope is not installed", "uninstall", "nope");
        refused("nope is not installed", "status", "nope");
        refused("nope is not installed", "upgrade", "nope", "--from", counter.toString());
    }

    @Test
    void conflictingFlagsAreRefused() {
        InstallHost h = host;
        refused("--iface and --cgroup exclude each other", "install", counter.toString(), "--iface", h.ifB,
                "--cgroup", h.cgroup.toString());
        refused("--netns needs --iface", "install", counter.toString(), "--netns", h.nsB);
        refused("--direction applies to tc programs", "install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB,
                "--direction", "egress", "--program", "xdp_count");
        refused("--proceed-on applies to XDP", "install", portDrop.toString(), "--iface", h.ifB, "--netns", h.nsB,
                "--proceed-on", "pass");
        refused("--priority 0 is outside 1..1000", "install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB,
                "--priority", "0");
        refused("unknown XDP action \"bogus\"", "install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB,
                "--proceed-on", "pass,bogus");
        refused("installation name \"Bad Name\"", "install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB,
                "--name", "Bad Name");
    }

    @Test
    void aSecondInstallUnderTheSameNameAndANonBpffsFolderAreRefused() throws Exception {
        InstallHost h = host;
        h.ok("install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB);
        int running = InstallCommandsTest.xdpProgramOn(h);
        Cli.Result again = h.run("install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB);
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("xdp-counter is already installed"), again.err());
        assertEquals(running, InstallCommandsTest.xdpProgramOn(h));
        h.ok("uninstall", "xdp-counter");

        Path plain = work.resolve("not-bpffs");
        Files.createDirectories(plain);
        Cli.Result r = Cli.run("list", "--state-dir", h.state.toString(), "--bpffs", plain.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("is not on a bpf filesystem") && r.err().contains("mount -t bpf"), r.err());
        assertNothingLeft();
    }

    /** The command fails with exit 1 and one stderr line containing {@code message}; nothing is left behind. */
    private static void refused(String message, String... args) {
        Cli.Result r = host.run(args);
        assertEquals(1, r.exit(), () -> String.join(" ", args) + ": " + r.out() + r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.getFirst().startsWith("bpfstore " + args[0] + ": ") && lines.getFirst().contains(message),
                "expected \"" + message + "\" in: " + lines.getFirst());
        try {
            assertNothingLeft();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertNothingLeft() throws Exception {
        assertEquals(0, InstallCommandsTest.xdpProgramOn(host), "no XDP program attached");
        assertEquals(List.of(), InstallCommandsTest.tcxLinks(host), "no tcx link attached");
        assertEquals(List.of(), host.pinFiles(), "nothing pinned");
        assertEquals(List.of(), InstallCommandsTest.cgroupPrograms(host.cgroup), "nothing on the cgroup");
        if (Files.exists(host.state.resolve("state.db"))) {
            assertEquals("[ ]", host.ok("list", "-o", "json").out().strip(), "nothing recorded");
        }
    }
}
