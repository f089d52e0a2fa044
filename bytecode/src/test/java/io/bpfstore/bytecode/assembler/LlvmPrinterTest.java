package io.bpfstore.bytecode.assembler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.bytecode.asm.CallHelper;
import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.asm.Exit;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.LoadIndirect;
import io.bpfstore.bytecode.asm.Pseudo;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.bytecode.asm.Size;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The forms {@link LlvmPrinter} uses where llvm-objdump's text would lose information. */
class LlvmPrinterTest {
    @Test
    void localCallsGetLabels() {
        List<Instruction> program = List.of(new CallLocal(1), Exit.INSTANCE, Exit.INSTANCE);
        assertEquals(List.of("\tcall f_L2", "\texit", "f_L2:", "\texit"), LlvmPrinter.print(program, "f_"));
        assertEquals(program, LlvmAssembler.assemble("t", String.join("\n", LlvmPrinter.print(program, "f_"))));
    }

    @Test
    void callsToNoInstructionStartPrintAsLlvmObjdumpDoes() {
        // Slot 2 is the second half of the 64-bit load: no label can stand there.
        List<Instruction> program = List.of(new CallLocal(1), LoadImm64.of(Register.R1, 1), Exit.INSTANCE);
        List<String> lines = LlvmPrinter.print(program, "");
        assertEquals("\tcall 0x1", lines.getFirst());
        assertEquals(new CallHelper(1), LlvmAssembler.assemble("t", String.join("\n", lines)).getFirst());
    }

    @Test
    void secondImmediatesAndPacketOffsetsArePrinted() {
        List<Instruction> program = List.of(
                new LoadImm64(Register.R1, Pseudo.MAP_VALUE, 3, 16),
                new LoadImm64(Register.R2, Pseudo.MAP_IDX_VALUE, 1, 8),
                new LoadImm64(Register.R3, Pseudo.BTF_ID, 7, 2),
                new LoadImm64(Register.R4, Pseudo.MAP_FD, 5, 0),
                new LoadIndirect(Size.H, Register.R6, -4),
                Exit.INSTANCE);
        List<String> lines = LlvmPrinter.print(program, "");
        assertEquals(List.of("\tr1 = map_val(3) + 16", "\tr2 = mva(map_by_idx(1)) + 8", "\tld_pseudo\tr3, 0x3, 0x7, 0x2",
                "\tld_pseudo\tr4, 0x1, 0x5", "\tr0 = *(u16 *)skb[r6 - 0x4]", "\texit"), lines);
        assertEquals(program, LlvmAssembler.assemble("t", String.join("\n", lines)));
    }
}
