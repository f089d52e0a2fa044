package io.bpfstore.kernel.dispatch;

import io.bpfstore.bytecode.asm.AluOp;
import io.bpfstore.bytecode.asm.CodeBuilder;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.asm.Label;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.bytecode.asm.Size;
import io.bpfstore.bytecode.sections.XdpAction;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The instructions of the dispatcher's own body, placed at slot 0 of the composed program with the members' code
 * after it:
 *
 * <pre>
 *     r6 = r1                      ; keep ctx in a callee-saved register
 *   for each member, in order:
 *     (a member with a run counter, see {@link MemberRuns}:)
 *     r1 = counter map             ; ld_imm64, BPF_PSEUDO_MAP_FD
 *     *(u32 *)(r10 - 4) = 0        ; key 0
 *     r2 = r10; r2 += -4
 *     call bpf_map_lookup_elem     ; this CPU's slot (the kernel inlines array lookups)
 *     if r0 == 0 goto run
 *     r1 = *(u64 *)(r0 + 0); r1 += 1; *(u64 *)(r0 + 0) = r1
 *   run:
 *     r1 = r6
 *     call member_entry            ; bpf-to-bpf call (src_reg = BPF_PSEUDO_CALL)
 *     if r0 == a1 goto next        ; one test per proceed-on action
 *     ...
 *     exit                         ; any other value is the verdict
 *   next:
 *   r0 = XDP_PASS                ; left out when the last member proceeds on nothing (unreachable)
 *   exit
 * </pre>
 *
 * Explicit equality tests rather than libxdp's {@code (1 << r0) & mask} keep every return value exact: a member
 * returning an unknown code is never mistaken for one in its set. Without counters the dispatcher uses no stack;
 * with one, 4 bytes (the verifier charges 16 of the 512 the call chain may use).
 */
final class DispatcherCode {
    /** bpf_map_lookup_elem's helper number. */
    private static final int MAP_LOOKUP_ELEM = 1;

    private DispatcherCode() {
    }

    /** The body's length in slots for members with these proceed-on sets, without run counters. */
    static int slots(List<Set<Integer>> proceedOn) {
        return slots(proceedOn, Collections.nCopies(proceedOn.size(), NO_COUNTER));
    }

    /** The body's length in slots; {@code counters.get(i)} is member i's run counter fd or {@link #NO_COUNTER}. */
    static int slots(List<Set<Integer>> proceedOn, List<Integer> counters) {
        return write(proceedOn, Collections.nCopies(proceedOn.size(), 0), counters).slots();
    }

    /** No run counter for a member. */
    static final int NO_COUNTER = -1;

    /**
     * The body without run counters: member {@code i}'s entry is at slot {@code entries.get(i)}.
     *
     * @return the body's instructions in this machine's byte order, {@link #slots} long
     */
    static byte[] body(List<Set<Integer>> proceedOn, List<Integer> entries) {
        return body(proceedOn, entries, Collections.nCopies(proceedOn.size(), NO_COUNTER));
    }

    /** The body with member {@code i}'s runs counted in the per-CPU array whose fd is {@code counters.get(i)}. */
    static byte[] body(List<Set<Integer>> proceedOn, List<Integer> entries, List<Integer> counters) {
        return write(proceedOn, entries, counters).bytes();
    }

    private static CodeBuilder write(List<Set<Integer>> proceedOn, List<Integer> entries, List<Integer> counters) {
        CodeBuilder b = new CodeBuilder();
        b.mov64(Register.R6, Register.R1); // ctx survives the calls in a callee-saved register
        for (int i = 0; i < proceedOn.size(); i++) {
            Label entry = b.newLabel();
            Label next = b.newLabel();
            b.bindAt(entry, entries.get(i));
            if (counters.get(i) != NO_COUNTER) {
                Label run = b.newLabel();
                b.loadMapFd(Register.R1, counters.get(i))
                        .storeImm(Size.W, Register.R10, -4, 0)
                        .mov64(Register.R2, Register.R10).alu64(AluOp.ADD, Register.R2, -4)
                        .call(MAP_LOOKUP_ELEM)
                        .jumpIf(JumpCondition.EQ, Register.R0, 0, run)
                        .load(Size.DW, Register.R1, Register.R0, 0)
                        .alu64(AluOp.ADD, Register.R1, 1)
                        .store(Size.DW, Register.R0, 0, Register.R1)
                        .bind(run);
            }
            b.mov64(Register.R1, Register.R6).call(entry);
            for (int action : proceedOn.get(i)) {
                b.jumpIf(JumpCondition.EQ, Register.R0, action, next);
            }
            b.exit().bind(next);
        }
        if (fallsThrough(proceedOn)) {
            b.mov64(Register.R0, XdpAction.PASS.number()).exit();
        }
        return b;
    }

    /** Whether the final {@code XDP_PASS} can be reached: the verifier refuses unreachable instructions. */
    private static boolean fallsThrough(List<Set<Integer>> proceedOn) {
        return !proceedOn.getLast().isEmpty();
    }
}
