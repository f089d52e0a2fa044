package io.bpfstore.kernel.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Hand-encoded eBPF instructions for tests (the encoding is the kernel's, include/uapi/linux/bpf.h). */
public final class Insns {
    private Insns() {
    }

    /** {@code r<dst> = imm} (BPF_ALU64 | BPF_MOV | BPF_K). */
    public static byte[] mov64(int dst, int imm) {
        return insn(0xb7, dst, 0, 0, imm);
    }

    /** {@code exit}. */
    public static byte[] exit() {
        return insn(0x95, 0, 0, 0, 0);
    }

    /** {@code call helper}. */
    public static byte[] call(int helper) {
        return insn(0x85, 0, 0, 0, helper);
    }

    /** Concatenates instructions. */
    public static byte[] program(byte[]... insns) {
        ByteBuffer buffer = ByteBuffer.allocate(insns.length * 8);
        for (byte[] insn : insns) {
            buffer.put(insn);
        }
        return buffer.array();
    }

    private static byte[] insn(int opcode, int dst, int src, int off, int imm) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put((byte) opcode)
                .put((byte) ((src << 4) | dst)).putShort((short) off).putInt(imm).array();
    }
}
