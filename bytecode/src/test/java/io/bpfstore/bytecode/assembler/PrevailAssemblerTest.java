package io.bpfstore.bytecode.assembler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.bytecode.asm.Exit;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.asm.JumpImm;
import io.bpfstore.bytecode.asm.JumpReg;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.bytecode.asm.Width;

import java.util.List;

import org.junit.jupiter.api.Test;

/** PREVAIL's forms without eBPF encoding, as {@link PrevailAssembler} reads them. */
class PrevailAssemblerTest {
    @Test
    void pseudoInstructionsTakeOneSlotEach() {
        List<PrevailStatement> program = PrevailAssembler.assemble("t", """
                <start>:
                  assume r1 < r2
                  assume w1 &!= 4 ; bits not set
                  if r1 &!= 0 goto <exit>
                  w2 s32= r3
                  r1 = 0x1 ll
                <exit>:
                  exit
                """);
        assertEquals(List.of(
                new PrevailStatement.Assume(new JumpReg(Width.W64, JumpCondition.LT, Register.R1, Register.R2, 0),
                        false),
                new PrevailStatement.Assume(new JumpImm(Width.W32, JumpCondition.SET, Register.R1, 4, 0), true),
                new PrevailStatement.JumpUnless(new JumpImm(Width.W64, JumpCondition.SET, Register.R1, 0, 3)),
                new PrevailStatement.SignExtend32(Register.R2, Register.R3),
                new PrevailStatement.Machine(LoadImm64.of(Register.R1, 1)),
                new PrevailStatement.Machine(Exit.INSTANCE)), program);
    }
}
