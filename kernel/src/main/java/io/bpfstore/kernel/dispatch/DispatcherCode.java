package io.bpfstore.kernel.dispatch;

import io.bpfstore.bytecode.asm.CodeBuilder;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.asm.Label;
import io.bpfstore.bytecode.asm.Register;
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
 * returning an unknown code is never mistaken for one in its set.
 */
final class DispatcherCode {
    private DispatcherCode() {
    }

    /** The body's length in slots for members with these proceed-on sets. */
    static int slots(List<Set<Integer>> proceedOn) {
        return write(proceedOn, Collections.nCopies(proceedOn.size(), 0)).slots();
    }

    /**
     * The body: member {@code i}'s entry is at slot {@code entries.get(i)} of the composed program.
     *
     * @return the body's instructions in this machine's byte order, {@link #slots} long
     */
    static byte[] body(List<Set<Integer>> proceedOn, List<Integer> entries) {
        return write(proceedOn, entries).bytes();
    }

    private static CodeBuilder write(List<Set<Integer>> proceedOn, List<Integer> entries) {
        CodeBuilder b = new CodeBuilder();
        b.mov64(Register.R6, Register.R1); // ctx survives the calls in a callee-saved register
        for (int i = 0; i < proceedOn.size(); i++) {
            Label entry = b.newLabel();
            Label next = b.newLabel();
            b.bindAt(entry, entries.get(i));
            b.mov64(Register.R1, Register.R6).call(entry);
            for (int action : proceedOn.get(i)) {
                b.jumpIf(JumpCondition.EQ, Register.R0, action, next);
            }
            b.exit().bind(next);
        }
        if (fallsThrough(proceedOn)) {
            b.mov64(Register.R0, XdpMember.XDP_PASS).exit();
        }
        return b;
    }

    /** Whether the final {@code XDP_PASS} can be reached: the verifier refuses unreachable instructions. */
    private static boolean fallsThrough(List<Set<Integer>> proceedOn) {
        return !proceedOn.getLast().isEmpty();
    }
}
