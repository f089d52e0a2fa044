package io.bpfstore.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.bytecode.asm.AluOp;
import io.bpfstore.bytecode.asm.CodeBuilder;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.asm.Label;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.bytecode.asm.Size;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.testing.RequiresRoot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * A program written with {@link CodeBuilder} (a map loaded by fd, a helper call, forward and backward jumps, a
 * bpf-to-bpf call) is accepted by the verifier and does what it says when the kernel runs it (BPF_PROG_TEST_RUN).
 */
@RequiresRoot
class CodeBuilderLoadTest {
    private static final int BPF_FUNC_MAP_LOOKUP_ELEM = 1;
    private static final int XDP_DROP = 1;
    private static final int XDP_PASS = 2;

    @Test
    void theKernelRunsWhatTheBuilderWrote() {
        try (BpfMap counter = BpfMap.create(MapSpec.of("bst_cb_count", MapType.ARRAY, 4, 8, 1))) {
            CodeBuilder b = new CodeBuilder();
            Label miss = b.newLabel();
            Label loop = b.newLabel();
            Label verdict = b.newLabel();
            b.loadMapFd(Register.R1, counter.fd().value())
                    .storeImm(Size.W, Register.R10, -4, 0)
                    .mov64(Register.R2, Register.R10)
                    .alu64(AluOp.ADD, Register.R2, -4)
                    .call(BPF_FUNC_MAP_LOOKUP_ELEM)
                    .jumpIf(JumpCondition.EQ, Register.R0, 0, miss)
                    .load(Size.DW, Register.R1, Register.R0, 0)
                    .mov64(Register.R2, 3)
                    .bind(loop)                                       // adds 3, one at a time
                    .alu64(AluOp.ADD, Register.R1, 1)
                    .alu64(AluOp.SUB, Register.R2, 1)
                    .jumpIf(JumpCondition.NE, Register.R2, 0, loop)
                    .store(Size.DW, Register.R0, 0, Register.R1)
                    .call(verdict)
                    .exit()
                    .bind(miss)
                    .mov64(Register.R0, XDP_DROP)
                    .exit()
                    .bind(verdict)                                    // subprogram: returns XDP_PASS
                    .mov64(Register.R0, XDP_PASS)
                    .exit();
            try (BpfProgram program = BpfProgram.load(ProgramSpec.of("bst_cb_prog", ProgramType.XDP, b.bytes()))) {
                for (int run = 0; run < 2; run++) {
                    assertEquals(XDP_PASS, program.testRun(TestRun.of(new byte[64])).returnValue());
                }
            }
            long value = ByteBuffer.wrap(counter.lookup(new byte[4]).orElseThrow()).order(ByteOrder.nativeOrder()).getLong();
            assertEquals(6, value, "two runs, each adding 3 in the loop");
        }
    }
}
