package io.bpfstore.vm;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.sections.XdpAction;
import io.bpfstore.kernel.TestRun;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import io.bpfstore.vm.capture.CapturedPacket;
import io.bpfstore.vm.capture.PcapWriter;
import io.bpfstore.vm.load.VmObject;
import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.packet.Packet;
import io.bpfstore.vm.packet.XdpContext;
import io.bpfstore.vm.helpers.PacketHelpers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Benchmark (issue 13): ns per packet of the example XDP firewall and counter, compiled and interpreted, on the
 * same packet, against the kernel JIT's BPF_PROG_TEST_RUN with repeat 1,000,000 (root; its own average);
 * optionally writes a capture for the whole-command throughput figure. Run by bench/replay/run.
 * Arguments: OBJECT_DIR [CAPTURE_OUT COUNT]
 */
public final class ReplayBenchmark {
    private static final int REPEAT = 1_000_000;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        byte[] packet = HexFormat.of().parseHex("020000000002020000000001080045000024000100004011000"
                + "00a0000010a00000230390035001000007061796c6f616421");
        boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        System.out.printf("%-14s %14s %14s %14s %8s%n", "program", "compiled ns", "interpreter ns", "kernel JIT ns",
                "ratio");
        for (String[] p : new String[][] {{"xdp_firewall.o", "xdp_firewall"}, {"xdp_counter.o", "xdp_count"}}) {
            BpfObject object = BpfObject.read(dir.resolve(p[0]));
            String program = object.programs().getFirst().name();
            double compiled = nsPerRun(object, program, packet, new Compiler());
            double interpreted = nsPerRun(object, program, packet, new Interpreter());
            String kernel = "n/a (not root)";
            String ratio = "";
            if (root) {
                Path pins = Files.createTempDirectory("bst-bench-");
                try (LoadedObject loaded = Loader.load(object, new LoadOptions(pins, LoadOptions.VMLINUX_BTF, false, false))) {
                    double k = loaded.program(program).testRun(new TestRun(packet, new byte[0], REPEAT, 256)).durationNanos();
                    kernel = String.format("%.1f", k);
                    ratio = String.format("%.2fx", compiled / k);
                } finally {
                    Files.deleteIfExists(pins);
                }
            }
            System.out.printf("%-14s %14.1f %14.1f %14s %8s%n", program, compiled, interpreted, kernel, ratio);
        }
        if (args.length >= 3) {
            int count = Integer.parseInt(args[2]);
            Packets generator = new Packets(1);
            List<CapturedPacket> packets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] data = generator.next();
                packets.add(new CapturedPacket(1_700_000_000_000_000_000L + i * 1000L, data, data.length));
            }
            PcapWriter.write(Path.of(args[1]), packets);
        }
    }

    /** Average ns of one run on one packet, after warming the JIT, as the kernel's repeat loop measures. */
    private static double nsPerRun(BpfObject object, String program, byte[] bytes, Executor executor) {
        AddressSpace memory = new AddressSpace();
        VmObject vm = VmObject.load(object, memory, 1, 0, 1);
        Machine machine = new Machine(memory, new PacketHelpers(vm.environment(), XdpAction.REDIRECT.number(), 0).helpers());
        Packet packet = new Packet(bytes);
        packet.attach(memory);
        long ctx = memory.map(new XdpContext(packet, 1, 0));
        vm.environment().packet(packet);
        Code code = vm.program(program).orElseThrow();
        long sink = 0;
        int rounds = executor instanceof Interpreter ? REPEAT / 4 : REPEAT;
        for (int warm = 0; warm < 5; warm++) {
            for (int i = 0; i < rounds; i++) {
                sink += executor.run(machine, code, ctx, 0);
            }
        }
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            sink += executor.run(machine, code, ctx, 0);
        }
        long elapsed = System.nanoTime() - start;
        if (sink == 42) {
            System.out.print("");
        }
        return (double) elapsed / rounds;
    }
}
