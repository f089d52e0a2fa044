package io.bpfstore.bytecode.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.assembler.Oracle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CodeBuilder} against llvm-mc-19: the same program written with labels in LLVM's assembly syntax and
 * with the builder must encode to the same bytes (llvm-mc resolves its labels itself), and llvm-objdump-19 must
 * read the builder's bytes back as that program.
 */
class CodeBuilderTest {

    @Test
    void forwardAndBackwardJumpsResolveAsLlvmMcResolvesLabels() {
        String source = String.join("\n",
                "  r6 = r1",
                "  r0 = 10",
                "loop:",
                "  r0 -= 1",
                "  if r0 > 3 goto loop",
                "  if w0 < 2 goto small",
                "  if r0 == r6 goto done",
                "  r2 = 0x1122334455667788 ll",
                "  *(u32 *)(r10 - 4) = r0",
                "  r3 = *(u32 *)(r10 - 4)",
                "  *(u64 *)(r10 - 16) = 7",
                "  w4 = 5",
                "  w4 += w3",
                "  call 5",
                "  goto done",
                "small:",
                "  r0 = 1",
                "done:",
                "  exit",
                "");
        CodeBuilder b = new CodeBuilder();
        Label loop = b.newLabel();
        Label small = b.newLabel();
        Label done = b.newLabel();
        b.mov64(Register.R6, Register.R1)
                .mov64(Register.R0, 10)
                .bind(loop)
                .alu64(AluOp.SUB, Register.R0, 1)
                .jumpIf(JumpCondition.GT, Register.R0, 3, loop)
                .jumpIf32(JumpCondition.LT, Register.R0, 2, small)
                .jumpIf(JumpCondition.EQ, Register.R0, Register.R6, done)
                .loadImm64(Register.R2, 0x1122334455667788L)
                .store(Size.W, Register.R10, -4, Register.R0)
                .load(Size.W, Register.R3, Register.R10, -4)
                .storeImm(Size.DW, Register.R10, -16, 7)
                .mov32(Register.R4, 5)
                .alu32(AluOp.ADD, Register.R4, Register.R3)
                .call(5)
                .jump(done)
                .bind(small)
                .mov64(Register.R0, 1)
                .bind(done)
                .exit();
        byte[] expected = Oracle.llvmMc(source);
        assertArrayEquals(expected, b.bytes(ByteOrder.LITTLE_ENDIAN), () -> "builder:\n" + hex(b.bytes(ByteOrder.LITTLE_ENDIAN))
                + "\nllvm-mc:\n" + hex(expected));
        assertEquals(expected.length / InstructionCodec.SLOT_SIZE, b.slots());
        List<String> listing = Oracle.objdump(List.of(b.bytes(ByteOrder.LITTLE_ENDIAN)), "llvm-objdump-19", "-d", "--mcpu=v4");
        assertTrue(listing.stream().anyMatch(l -> l.contains("if r0 > 0x3 goto -0x2")), String.join("\n", listing));
    }

    @Test
    void mapLoadsAreLdImm64WithThePseudoSourceRegister() {
        byte[] plain = Oracle.llvmMc("  r1 = 42 ll\n  r2 = 42 ll\n  exit\n");
        byte[] built = new CodeBuilder().loadMapFd(Register.R1, 42).loadMapValue(Register.R2, 42, 0).exit()
                .bytes(ByteOrder.LITTLE_ENDIAN);
        assertEquals(plain.length, built.length);
        assertEquals(0x11, built[1] & 0xff, "src_reg BPF_PSEUDO_MAP_FD (1), dst r1");
        assertEquals(0x22, built[17] & 0xff, "src_reg BPF_PSEUDO_MAP_VALUE (2), dst r2");
        built[1] = plain[1];
        built[17] = plain[17];
        assertArrayEquals(plain, built, "all but the source register as llvm-mc encodes r = imm ll");
    }

    @Test
    void localCallsCountSlotsAndMayTargetCodeAppendedLater() {
        CodeBuilder b = new CodeBuilder();
        Label sub = b.newLabel();
        Label appended = b.newLabel();
        b.bindAt(appended, 20);
        b.call(sub).loadImm64(Register.R1, 1).call(appended).exit().bind(sub).mov64(Register.R0, 0).exit();
        List<Instruction> code = b.build();
        assertEquals(new CallLocal(4), code.get(0), "slot 0 + 1 + 4 = slot 5, after a two-slot load");
        assertEquals(new CallLocal(16), code.get(2), "slot 3 + 1 + 16 = slot 20");
    }

    @Test
    void misuseIsRefusedWithTheLabelNamed() {
        CodeBuilder b = new CodeBuilder();
        Label never = b.newLabel();
        b.jump(never).exit();
        IllegalStateException unbound = assertThrows(IllegalStateException.class, b::build);
        assertTrue(unbound.getMessage().contains(never + " (used by instruction 0 at slot 0) is never bound"),
                unbound.getMessage());
        Label twice = b.newLabel();
        b.bind(twice);
        assertThrows(IllegalArgumentException.class, () -> b.bind(twice));
        Label foreign = new CodeBuilder().newLabel();
        assertThrows(IllegalArgumentException.class, () -> b.jump(foreign));
        CodeBuilder far = new CodeBuilder();
        Label end = far.newLabel();
        far.jump(end);
        for (int i = 0; i < 40_000; i++) {
            far.mov64(Register.R0, 0);
        }
        far.bind(end).exit();
        assertThrows(IllegalArgumentException.class, far::build, "a distance beyond 16 bits");
    }

    private static String hex(byte[] code) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < code.length; i += 8) {
            out.append(Arrays.toString(Arrays.copyOfRange(code, i, i + 8))).append('\n');
        }
        return out.toString();
    }
}
