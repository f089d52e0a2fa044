package io.bpfstore.bytecode.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model's own rules: factories, derived values and the constraints the constructors enforce. */
class InstructionTest {
    @Test
    void factoriesBuildTheExpectedRecords() {
        assertEquals(new AluImm(Width.W64, AluOp.MOV, Register.R0, 0), Instruction.mov64(Register.R0, 0));
        assertEquals(new AluReg(Width.W32, AluOp.MOV, Register.R1, Register.R2),
                Instruction.mov32(Register.R1, Register.R2));
        assertEquals(new JumpImm(Width.W64, JumpCondition.GT, Register.R1, 5, 3),
                Instruction.jumpIf(JumpCondition.GT, Register.R1, 5, 3));
        assertEquals(new Store(Size.W, Register.R10, Register.R1, -4),
                Instruction.store(Size.W, Register.R10, -4, Register.R1));
        assertEquals(new LoadImm64(Register.R1, Pseudo.MAP_VALUE, 3, 16),
                Instruction.loadMapValue(Register.R1, 3, 16));
    }

    @Test
    void loadImm64SplitsAndJoinsItsValue() {
        LoadImm64 load = Instruction.loadImm64(Register.R9, 0x1122334455667788L);
        assertEquals(0x55667788, load.imm());
        assertEquals(0x11223344, load.nextImm());
        assertEquals(0x1122334455667788L, load.value());
        assertEquals(-1L, Instruction.loadImm64(Register.R0, -1).value());
        assertEquals(2, load.slots());
    }

    @Test
    void branchTargetsCountSlotsFromTheNextInstruction() {
        List<Instruction> program = List.of(Instruction.jumpIf(JumpCondition.EQ, Register.R1, 0, 2),
                Instruction.loadImm64(Register.R0, 1), Instruction.exit());
        List<InstructionAt> decoded = InstructionCodec.decode(InstructionCodec.encode(program,
                ByteOrder.LITTLE_ENDIAN), ByteOrder.LITTLE_ENDIAN, "t");
        Branch branch = (Branch) decoded.getFirst().instruction();
        assertEquals(decoded.getLast().slot(), branch.target(decoded.getFirst().slot()));
        assertEquals(new Goto(-7), new Goto(3).withOffset(-7));
    }

    @Test
    void constructorsRejectWhatCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> new Goto(40000));
        assertThrows(IllegalArgumentException.class, () -> new Load(Size.W, Register.R0, Register.R1, -40000));
        assertThrows(IllegalArgumentException.class, () -> new MovSx(Width.W32, Register.R0, Register.R1, 32));
        assertThrows(IllegalArgumentException.class, () -> new ByteSwap(SwapKind.LE, Register.R0, 8));
        assertThrows(IllegalArgumentException.class, () -> new LoadSigned(Size.DW, Register.R0, Register.R1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LoadAbsolute(Size.DW, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Atomic(Size.B, AtomicOp.ADD, false, Register.R1, Register.R2, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Atomic(Size.DW, AtomicOp.XCHG, false, Register.R1, Register.R2, 0));
        assertThrows(IllegalArgumentException.class, () -> Register.of(11));
        assertThrows(NullPointerException.class, () -> new Neg(Width.W64, null));
    }

    @Test
    void addrSpaceCastSplitsItsImmediate() {
        AddrSpaceCast cast = new AddrSpaceCast(Register.R0, Register.R1, 0x10000);
        assertEquals(1, cast.dstAddressSpace());
        assertEquals(0, cast.srcAddressSpace());
    }
}
