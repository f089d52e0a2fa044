package io.bpfstore.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.TestRun;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.vm.load.VmObject;
import io.bpfstore.vm.maps.VmMap;
import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.packet.XdpRun;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM against the kernel: every XDP program of the example catalog runs on the same generated packets
 * (random bytes; Ethernet, VLAN, IPv4, IPv6, TCP, UDP, ICMP; truncated ones) through BPF_PROG_TEST_RUN and
 * through the interpreter, and (interpreted and compiled) the verdict, the packet bytes after each run and every map's contents at the
 * end must be identical. Needs root (CI is root); skips loudly without it.
 */
class KernelDifferentialTest {
    /** Packets per program; the catalog's 8 XDP programs make well over 100,000 runs in all. */
    private static final int PACKETS = Integer.getInteger("bpfstore.vm.diff.packets", 15_000);

    @TempDir
    Path pins;

    static boolean root() throws Exception {
        boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        if (!root) {
            System.err.println("SKIPPED: KernelDifferentialTest needs root for BPF_PROG_TEST_RUN (run as root, as CI does)");
        }
        return root;
    }

    @Test
    void everyExampleXdpProgramBehavesAsInTheKernel() throws Exception {
        assumeTrue(root(), "needs root for BPF_PROG_TEST_RUN");
        int programs = 0;
        long runs = 0;
        for (Path path : ExampleObjects.all()) {
            if (!path.getParent().equals(ExampleObjects.dir())) {
                continue; // rejected/ and toolchains/ hold objects the kernel refuses or variants of these
            }
            BpfObject object = BpfObject.read(path);
            List<Program> xdp = object.programs().stream().filter(p -> p.type().orElse(null) == ProgramType.XDP).toList();
            if (xdp.isEmpty()) {
                continue;
            }
            try (LoadedObject kernel = Loader.load(object, new LoadOptions(pins, LoadOptions.VMLINUX_BTF, false, false))) {
                VmObject vm = VmObject.load(object, new AddressSpace(), 1, 0, 1);
                XdpRun run = new XdpRun(vm.environment(), new Interpreter());
                // The compiled form runs on a second copy of the object, so each has its own maps to compare.
                VmObject vmCompiled = VmObject.load(object, new AddressSpace(), 1, 0, 1);
                XdpRun compiled = new XdpRun(vmCompiled.environment(), new Compiler());
                Packets packets = new Packets(path.getFileName().toString().hashCode());
                for (int i = 0; i < PACKETS; i++) {
                    byte[] packet = packets.next();
                    for (Program p : xdp) {
                        BpfProgram loaded = kernel.program(p.name());
                        TestRun.Result expected = loaded.testRun(TestRun.of(packet));
                        XdpRun.Outcome actual = run.run(vm.program(p.name()).orElseThrow(), packet, 1);
                        String where = path.getFileName() + " " + p.name() + " packet " + i + " "
                                + HexFormat.of().formatHex(packet);
                        assertEquals(Integer.toUnsignedLong(expected.returnValue()), actual.verdict(), where + ": verdict");
                        assertArrayEquals(expected.data(), actual.packet(), where + ": packet after the run");
                        XdpRun.Outcome fast = compiled.run(vmCompiled.program(p.name()).orElseThrow(), packet, 1);
                        assertEquals(actual.verdict(), fast.verdict(), where + ": compiled verdict");
                        assertArrayEquals(actual.packet(), fast.packet(), where + ": compiled packet");
                        runs++;
                    }
                }
                for (Map.Entry<String, BpfMap> m : kernel.maps().entrySet()) {
                    VmMap map = vm.environment().map(m.getKey()).orElseThrow(() -> new AssertionError("VM lacks map " + m.getKey()));
                    if (map instanceof VmMap.KeyValue kv) {
                        assertEquals(kernelContents(m.getValue()), vmContents(kv), path.getFileName() + " map " + m.getKey());
                        assertEquals(vmContents(kv), vmContents((VmMap.KeyValue) vmCompiled.environment().map(m.getKey()).orElseThrow()),
                                path.getFileName() + " map " + m.getKey() + " after the compiled runs");
                    }
                }
                programs += xdp.size();
            }
        }
        assertTrue(programs >= 5, "the example catalog has XDP programs to compare, found " + programs);
        System.out.println("KernelDifferentialTest: " + programs + " XDP programs, " + runs + " runs, all identical");
    }

    /** Entries as hex key to hex value; per-CPU values summed as 64-bit words. */
    private static Map<String, String> kernelContents(BpfMap map) {
        Map<String, String> out = new TreeMap<>();
        int valueSize = map.info().valueSize();
        for (byte[] key : map.keys()) {
            byte[] value = map.lookup(key).orElseThrow();
            if (map.isPerCpu()) {
                int stride = (valueSize + 7) & ~7;
                value = sum(value, stride, value.length / stride);
            }
            out.put(HexFormat.of().formatHex(key), HexFormat.of().formatHex(value, 0, valueSize));
        }
        return out;
    }

    private static Map<String, String> vmContents(VmMap.KeyValue map) {
        Map<String, String> out = new TreeMap<>();
        map.entries().forEach((k, values) -> {
            int stride = (map.valueSize() + 7) & ~7;
            byte[] flat = new byte[stride * values.size()];
            for (int i = 0; i < values.size(); i++) {
                System.arraycopy(values.get(i), 0, flat, i * stride, map.valueSize());
            }
            out.put(k.toString(), HexFormat.of().formatHex(sum(flat, stride, values.size()), 0, map.valueSize()));
        });
        return out;
    }

    private static byte[] sum(byte[] values, int stride, int cpus) {
        ByteBuffer out = ByteBuffer.allocate(stride).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer in = ByteBuffer.wrap(values).order(ByteOrder.LITTLE_ENDIAN);
        for (int word = 0; word + 8 <= stride; word += 8) {
            long total = 0;
            for (int cpu = 0; cpu < cpus; cpu++) {
                total += in.getLong(cpu * stride + word);
            }
            out.putLong(word, total);
        }
        return out.array();
    }
}
