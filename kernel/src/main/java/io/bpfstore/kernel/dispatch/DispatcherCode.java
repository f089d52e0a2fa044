package io.bpfstore.kernel.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    static final int SLOT = 8;
    private static final int MOV64_REG = 0xbf;
    private static final int MOV64_IMM = 0xb7;
    private static final int CALL = 0x85;
    private static final int JEQ_IMM = 0x15;
    private static final int EXIT = 0x95;
    private static final int PSEUDO_CALL = 1;
    private static final int CTX = 6;

    private DispatcherCode() {
    }

    /** The body's length in slots for members with these proceed-on sets. */
    static int slots(List<Set<Integer>> proceedOn) {
        int n = 1 + (fallsThrough(proceedOn) ? 2 : 0);
        for (Set<Integer> set : proceedOn) {
            n += 2 + set.size() + 1;
        }
        return n;
    }

    /**
     * The body: member {@code i}'s entry is at slot {@code entries.get(i)} of the composed program.
     *
     * @return the body's instructions, {@link #slots} long
     */
    static byte[] body(List<Set<Integer>> proceedOn, List<Integer> entries) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("the XDP dispatcher is generated for little-endian hosts only");
        }
        ByteBuffer b = ByteBuffer.allocate(slots(proceedOn) * SLOT).order(ByteOrder.LITTLE_ENDIAN);
        put(b, MOV64_REG, CTX, 1, 0, 0);
        for (int i = 0; i < proceedOn.size(); i++) {
            Set<Integer> set = proceedOn.get(i);
            put(b, MOV64_REG, 1, CTX, 0, 0);
            int call = b.position() / SLOT;
            put(b, CALL, 0, PSEUDO_CALL, 0, entries.get(i) - call - 1);
            int next = call + 1 + set.size() + 1;
            for (int action : set) {
                int at = b.position() / SLOT;
                put(b, JEQ_IMM, 0, 0, next - at - 1, action);
            }
            put(b, EXIT, 0, 0, 0, 0);
        }
        if (fallsThrough(proceedOn)) {
            put(b, MOV64_IMM, 0, 0, 0, XdpMember.XDP_PASS);
            put(b, EXIT, 0, 0, 0, 0);
        }
        return b.array();
    }

    /** Whether the final {@code XDP_PASS} can be reached: the verifier refuses unreachable instructions. */
    private static boolean fallsThrough(List<Set<Integer>> proceedOn) {
        return !proceedOn.getLast().isEmpty();
    }

    private static void put(ByteBuffer b, int code, int dst, int src, int off, int imm) {
        b.put((byte) code).put((byte) ((src << 4) | dst)).putShort((short) off).putInt(imm);
    }
}
