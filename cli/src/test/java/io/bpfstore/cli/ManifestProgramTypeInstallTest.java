package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.testsupport.BpfClang;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program in a section that names no program type ({@code SEC("filters/icmp")}), typed by {@code programs:} in
 * bpfstore.yaml: {@code package} builds it, {@code check} reads the package as XDP, and {@code install} loads and
 * attaches it for real, shown by ping: ICMP from the peer namespace is dropped while it is installed (also after a
 * second package joins the interface and the dispatcher is recomposed from the recorded package) and passes again
 * once it is uninstalled. A misspelt type is one line naming line and column, and builds nothing.
 */
class ManifestProgramTypeInstallTest {
    /** Drops ICMP over IPv4; its section names no program type. */
    private static final String SOURCE = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            char LICENSE[] SEC("license") = "GPL";
            SEC("filters/icmp") int icmp_drop(struct xdp_md *ctx)
            {
            	unsigned char *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
            	if (data + 24 > end || data[12] != 0x08 || data[13] != 0x00)
            		return XDP_PASS;
            	return data[23] == 1 ? XDP_DROP : XDP_PASS;
            }
            """;

    @TempDir
    Path work;

    private Path manifest(String type) throws IOException {
        return Files.writeString(work.resolve("bpfstore.yaml"), """
                name: icmp-drop
                namespace: local
                version: 1.0.0
                license: GPL-2.0-only
                permissions: [inspects-interface-packets, drops-packets]
                object: icmp_drop.o
                programs:
                  icmp_drop:
                    type: %s
                """.formatted(type));
    }

    /** Whether a ping from A reaches B (one reply is enough). */
    private static boolean reaches(InstallHost h) {
        return ExternalTool.run("ip", "netns", "exec", h.nsA, "ping", "-q", "-c", "3", "-i", "0.2", "-W", "1",
                "10.78.0.2").exit() == 0;
    }

    @Test
    void typedByTheManifestItPackagesChecksAndInstalls() throws IOException {
        Path object = BpfClang.compile(Files.writeString(work.resolve("icmp_drop.c"), SOURCE),
                work.resolve("icmp_drop.o"));
        Path layout = work.resolve("layout");
        Cli.Result bad = Cli.run("package", object.toString(), "-m", manifest("xpd").toString(), "--out",
                layout.toString());
        assertEquals(1, bad.exit(), bad.out() + bad.err());
        assertTrue(bad.err().strip().endsWith("bpfstore.yaml:9:11: programs.icmp_drop.type: unknown program type xpd"
                + " (bpftool's names: xdp, sched_cls, sched_act, socket_filter, kprobe, tracepoint, ...)"), bad.err());
        assertTrue(Files.notExists(layout), "nothing built");

        Cli.Result built = Cli.run("package", object.toString(), "-m", manifest("xdp").toString(), "--out",
                layout.toString());
        assertEquals(0, built.exit(), built.out() + built.err());
        Cli.Result checked = Cli.run("check", "-o", "json", layout.toString());
        assertEquals(0, checked.exit(), checked.out() + checked.err());
        assertTrue(checked.out().contains("\"packages\" : [ \"local/icmp-drop@1.0.0\" ]"), checked.out());

        try (InstallHost h = InstallHost.create("t", work)) {
            assertTrue(reaches(h), "ICMP passes before the install");
            h.ok("install", layout.toString(), "--iface", h.ifB, "--netns", h.nsB);
            assertTrue(InstallCommandsTest.xdpProgramOn(h) != 0, "an XDP program on the interface");
            assertTrue(!reaches(h), "ICMP dropped by the installed program");
            // a second package recomposes the dispatcher from the recorded package, which keeps its type
            h.ok("install", InstallHost.layout("xdp_counter", "1.0.0", work).toString(), "--iface", h.ifB,
                    "--netns", h.nsB, "--priority", "60");
            assertTrue(!reaches(h), "still dropped after recomposition");
            h.ok("uninstall", "icmp-drop");
            assertTrue(reaches(h), "ICMP passes once uninstalled");
            h.ok("uninstall", "xdp-counter");
            assertEquals(List.of(), h.pinFiles());
        }
    }
}
