package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.TestRun;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.RequiresRoot;
import io.bpfstore.testsupport.TestPrograms;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code const volatile} configuration set before load ({@link LoadOptions#withGlobals}): an XDP program that drops
 * UDP packets to the port in {@code .rodata} drops exactly those once the port is set, shown by BPF_PROG_TEST_RUN;
 * with no value given it keeps the object's own (0: drops nothing). Bad values are refused naming variable and type.
 */
@RequiresRoot
class GlobalValuesLoadTest {
    private static final int XDP_DROP = 1;
    private static final int XDP_PASS = 2;

    @TempDir
    Path dir;

    private BpfObject object() throws IOException {
        return BpfObject.read(Clang.compile(dir, "udp_drop", TestPrograms.UDP_PORT_DROP));
    }

    /** Ethernet, IPv4 (no options), UDP to {@code port}. */
    private static byte[] udpTo(int port) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.position(12).putShort((short) 0x0800);
        b.put((byte) 0x45).position(14 + 9).put((byte) 17);
        b.position(14 + 20 + 2).putShort((short) port);
        return b.array();
    }

    private static int verdict(BpfProgram p, int port) {
        return p.testRun(TestRun.of(udpTo(port))).returnValue();
    }

    @Test
    void blockedPortSetBeforeLoad() throws IOException, InterruptedException {
        BpfObject object = object();
        List<Integer> programs = new ArrayList<>();
        List<Integer> maps = new ArrayList<>();
        LoadOptions options = LoadOptions.defaults().withoutPinning();
        try (LoadedObject set = Loader.load(object, options.withGlobals(Map.of("blocked_port", "7777",
                "label", "dns")));
             LoadedObject unset = Loader.load(object, options)) {
            for (LoadedObject l : List.of(set, unset)) {
                programs.add(l.program("xdp_udp_drop").id());
                l.maps().values().forEach(m -> maps.add(m.id()));
            }
            String rodata = Oracles.bpftool("map", "dump", "id", Integer.toString(set.maps().values().stream()
                    .filter(m -> m.info().name().endsWith(".rodata")).findFirst().orElseThrow().id())).toString();
            org.junit.jupiter.api.Assertions.assertTrue(rodata.contains("\"blocked_port\":7777")
                    && rodata.contains("\"label\":\"dns\""), "bpftool reads the values through BTF: " + rodata);
            BpfProgram dropping = set.program("xdp_udp_drop");
            assertEquals(XDP_DROP, verdict(dropping, 7777));
            assertEquals(XDP_PASS, verdict(dropping, 53));
            assertEquals(XDP_PASS, verdict(unset.program("xdp_udp_drop"), 7777), "the object's own value, 0");
        }
        Leftovers.assertGone(programs, maps);
    }

    @Test
    void badValuesNameVariableAndType() throws IOException {
        BpfObject object = object();
        LoadOptions options = LoadOptions.defaults().withoutPinning();
        assertEquals("set global blocked_port (__u16) to \"70000\": out of range 0..65535",
                assertThrows(LoadException.class, () -> Loader.load(object,
                        options.withGlobals(Map.of("blocked_port", "70000")))).getMessage());
        assertEquals("set global label (char[8]) to \"far too long\": 12 bytes and the terminating zero do not fit in 8",
                assertThrows(LoadException.class, () -> Loader.load(object,
                        options.withGlobals(Map.of("label", "far too long")))).getMessage());
        assertEquals("set global port: object udp_drop has no variable port in .rodata or .data (it has"
                        + " [blocked_port, label])",
                assertThrows(LoadException.class, () -> Loader.load(object,
                        options.withGlobals(Map.of("port", "1")))).getMessage());
    }
}
