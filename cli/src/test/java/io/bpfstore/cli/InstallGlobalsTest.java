package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.testsupport.BpfClang;
import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.TestPrograms;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code install --set NAME=VALUE}: an XDP program that drops UDP to the port in a {@code const volatile} drops that
 * port once installed with the value, shown by BPF_PROG_TEST_RUN ({@code bpftool prog run}) of the program on the
 * interface (bpfstore's dispatcher), also after another package joins the interface (the dispatcher is recomposed
 * from the recorded object), and by bpftool's BTF view of the installation's pinned {@code .rodata}; a value
 * that does not fit is one line naming variable and type, and installs nothing.
 */
class InstallGlobalsTest extends InstallHostTest {
    private Path object() throws IOException {
        Path c = work.resolve("udp_drop.c");
        Files.writeString(c, TestPrograms.UDP_PORT_DROP);
        return BpfClang.compile(c, work.resolve("udp_drop.o"));
    }

    /** {@code bpftool prog run} of program {@code id} on an Ethernet/IPv4/UDP frame to {@code port}: its return value. */
    private int run(int id, int port) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.position(12).putShort((short) 0x0800);
        b.put((byte) 0x45).position(14 + 9).put((byte) 17);
        b.position(14 + 20 + 2).putShort((short) port);
        Path frame = work.resolve("frame-" + port);
        Files.write(frame, b.array());
        String out = ExternalTool.output("bpftool", "prog", "run", "id", Integer.toString(id), "data_in",
                frame.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Return value: (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void manifestGlobalsApplyAndSetOverridesThem() throws IOException {
        Path object = object();
        Path yaml = work.resolve("bpfstore.yaml");
        Files.writeString(yaml, """
                name: udp-drop
                namespace: local
                version: 1.0.0
                license: GPL-2.0-only
                permissions: [inspects-interface-packets, drops-packets]
                object: udp_drop.o
                globals:
                  blocked_port: 53
                """);
        io.bpfstore.store.manifest.PackageManifest m = io.bpfstore.store.manifest.ManifestParser.read(yaml);
        assertEquals(java.util.Map.of("blocked_port", "53"), m.globals());
        byte[] bytes = Files.readAllBytes(object);
        Path layout = work.resolve("udp-drop-layout");
        io.bpfstore.store.layout.OciLayout.write(io.bpfstore.store.build.PackageBuilder.build(
                io.bpfstore.bytecode.object.BpfObject.parse(bytes, "udp_drop"), bytes, "udp_drop.o", m), "1.0.0", layout);

        Files.writeString(yaml, Files.readString(yaml).replace("53", "\"dns\""));
        io.bpfstore.store.manifest.ManifestException bad = org.junit.jupiter.api.Assertions.assertThrows(
                io.bpfstore.store.manifest.ManifestException.class, () -> io.bpfstore.store.build.PackageBuilder.build(
                        io.bpfstore.bytecode.object.BpfObject.parse(bytes, "udp_drop"), bytes, "udp_drop.o",
                        io.bpfstore.store.manifest.ManifestParser.read(yaml)));
        assertTrue(bad.getMessage().contains("globals.blocked_port")
                && bad.getMessage().contains("set global blocked_port (__u16) to \"dns\": not a number"), bad.getMessage());

        try (InstallHost h = InstallHost.create("m", work)) {
            h.ok("install", layout.toString(), "--iface", h.ifB, "--netns", h.nsB);
            assertEquals(1, run(InstallCommandsTest.xdpProgramOn(h), 53), "the manifest's port");
            assertEquals(2, run(InstallCommandsTest.xdpProgramOn(h), 7777));
            h.ok("install", layout.toString(), "--name", "again", "--iface", h.ifB, "--netns", h.nsB,
                    "--set", "blocked_port=7777", "--priority", "60");
            assertEquals(1, run(InstallCommandsTest.xdpProgramOn(h), 7777), "--set overrides the manifest");
            assertEquals(1, run(InstallCommandsTest.xdpProgramOn(h), 53), "the first installation keeps its value");
            h.ok("uninstall", "again");
            h.ok("uninstall", "udp-drop");
            assertEquals(List.of(), h.pinFiles());
        }
    }

    @Test
    void setValueDecidesWhatTheInstalledProgramDrops() throws IOException {
        Path object = object();
        try (InstallHost h = InstallHost.create("g", work)) {
            Cli.Result bad = h.run("install", object.toString(), "--iface", h.ifB, "--netns", h.nsB,
                    "--set", "blocked_port=65536");
            assertEquals(1, bad.exit(), bad.out() + bad.err());
            assertEquals("bpfstore install: set global blocked_port (__u16) to \"65536\": out of range 0..65535",
                    bad.err().strip());
            assertEquals(0, InstallCommandsTest.xdpProgramOn(h), "nothing attached");

            h.ok("install", object.toString(), "--iface", h.ifB, "--netns", h.nsB, "--set", "blocked_port=7777");
            int onInterface = InstallCommandsTest.xdpProgramOn(h);
            assertEquals(1, run(onInterface, 7777), "XDP_DROP for the port set");
            assertEquals(2, run(onInterface, 7778), "XDP_PASS for another");
            try (var files = Files.walk(h.pins)) {
                Path rodata = files.filter(p -> p.getFileName().toString().endsWith("_rodata")).findFirst().orElseThrow();
                JsonNode dump = JSON.readTree(ExternalTool.output("bpftool", "-j", "map", "dump", "pinned",
                        rodata.toString()));
                assertTrue(dump.toString().contains("{\"blocked_port\":7777}"), dump.toString());
            }
            // a second package on the interface recomposes the dispatcher from the recorded (configured) object
            Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
            h.ok("install", counter.toString(), "--iface", h.ifB, "--netns", h.nsB, "--priority", "60");
            int recomposed = InstallCommandsTest.xdpProgramOn(h);
            assertEquals(1, run(recomposed, 7777), "still XDP_DROP for the port set, after recomposition");
            assertEquals(2, run(recomposed, 7778));
            h.ok("uninstall", "xdp-counter");
            h.ok("uninstall", "udp-drop");
            assertEquals(List.of(), h.pinFiles());
        }
    }
}
