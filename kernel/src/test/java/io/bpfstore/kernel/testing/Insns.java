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

    /** {@code r<dst> = map fd} (BPF_LD | BPF_IMM | BPF_DW with BPF_PSEUDO_MAP_FD): two instruction slots. */
    public static byte[] loadMapFd(int dst, int fd) {
        return program(insn(0x18, dst, 1, 0, fd), insn(0, 0, 0, 0, 0));
    }

    /** Concatenates instructions. */
    public static byte[] program(byte[]... insns) {
        ByteBuffer buffer = ByteBuffer.allocate(java.util.Arrays.stream(insns).mapToInt(i -> i.length).sum());
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
