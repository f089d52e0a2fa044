package io.bpfstore.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.vm.load.VmObject;
import io.bpfstore.vm.maps.MapKey;
import io.bpfstore.vm.maps.VmMap;
import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.packet.XdpRun;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example catalog's XDP programs in the VM: verdicts, rewritten packets, map contents and faults. */
class XdpExamplesTest {
    /** An Ethernet + IPv4 + UDP packet to {@code dport}. */
    static byte[] udp(int dport) {
        return HexFormat.of().parseHex("020000000002" + "020000000001" + "0800"
                + "4500001c0001000040110000" + "0a000001" + "0a000002"
                + "3039" + String.format("%04x", dport) + "00080000");
    }

    @Test
    void xdpCounterCountsEveryPacketAndPassesIt() throws Exception {
        BpfObject object = BpfObject.read(ExampleObjects.resolve("xdp_counter.o"));
        VmObject vm = VmObject.load(object, new AddressSpace(), 2, 0, 1);
        XdpRun run = new XdpRun(vm.environment(), new Interpreter());
        Code code = vm.programs().values().iterator().next();
        for (int i = 0; i < 5; i++) {
            XdpRun.Outcome out = run.run(code, udp(53), 1);
            assertEquals(2, out.verdict(), "XDP_PASS");
            assertArrayEquals(udp(53), out.packet(), "the counter does not change the packet");
        }
        long total = 0;
        for (VmMap map : vm.environment().maps()) {
            if (map instanceof VmMap.KeyValue kv && !map.name().startsWith(".")) {
                for (Map.Entry<MapKey, List<byte[]>> e : kv.entries().entrySet()) {
                    for (byte[] v : e.getValue()) {
                        total += ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    }
                }
            }
        }
        assertTrue(total >= 5, "five packets counted somewhere in the counter's maps, got " + total);
    }

    @Test
    void outOfBoundsAccessIsAFaultNamingTheInstruction() {
        // r0 = *(u64 *)(r1 + 4096): far past the end of xdp_md
        Code code = Code.of("bad", List.of(
                io.bpfstore.bytecode.asm.Instruction.load(io.bpfstore.bytecode.asm.Size.DW,
                        io.bpfstore.bytecode.asm.Register.R0, io.bpfstore.bytecode.asm.Register.R1, 4096),
                io.bpfstore.bytecode.asm.Instruction.exit()));
        AddressSpace memory = new AddressSpace();
        XdpRun run = new XdpRun(new io.bpfstore.vm.helpers.Environment(memory, List.of(), 1), new Interpreter());
        VmFault fault = assertThrows(VmFault.class, () -> run.run(code, udp(53), 1));
        assertEquals(0, fault.slot());
        assertTrue(fault.getMessage().contains("xdp_md"), fault.getMessage());
    }
}
