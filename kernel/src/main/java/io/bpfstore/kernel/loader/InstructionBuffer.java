package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.asm.InstructionCodec;
import io.bpfstore.bytecode.asm.Pseudo;
import java.util.Arrays;

/**
 * Raw eBPF instructions (8-byte slots, little-endian) being linked for one program. The loader patches fields
 * in place as libbpf does; working on bytes rather than on the decoded model keeps every bit the compiler wrote
 * that the loader has no reason to touch.
 */
final class InstructionBuffer {
    static final int SLOT = InstructionCodec.SLOT_SIZE;
    /** {@code BPF_LD | BPF_IMM | BPF_DW}: the first slot of a 64-bit immediate load. */
    static final int LD_IMM64 = 0x18;
    /** {@code BPF_JMP | BPF_CALL}. */
    static final int CALL = 0x85;

    private byte[] bytes;
    private int slots;

    InstructionBuffer(int capacitySlots) {
        this.bytes = new byte[Math.max(1, capacitySlots) * SLOT];
    }

    /** Appends {@code count} slots copied from {@code source} at byte {@code from}; returns the first new slot. */
    int append(byte[] source, long from, int count) {
        int first = slots;
        ensure(slots + count);
        System.arraycopy(source, (int) from, bytes, slots * SLOT, count * SLOT);
        slots += count;
        return first;
    }

    private void ensure(int needed) {
        if (needed * SLOT > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed * SLOT, bytes.length * 2));
        }
    }

    int slots() {
        return slots;
    }

    byte[] toArray() {
        return Arrays.copyOf(bytes, slots * SLOT);
    }

    int code(int slot) {
        return bytes[slot * SLOT] & 0xff;
    }

    void code(int slot, int code) {
        bytes[slot * SLOT] = (byte) code;
    }

    int dst(int slot) {
        return bytes[slot * SLOT + 1] & 0x0f;
    }

    int src(int slot) {
        return (bytes[slot * SLOT + 1] >> 4) & 0x0f;
    }

    void registers(int slot, int dst, int src) {
        bytes[slot * SLOT + 1] = (byte) ((src << 4) | (dst & 0x0f));
    }

    void src(int slot, int src) {
        registers(slot, dst(slot), src);
    }

    short off(int slot) {
        int at = slot * SLOT + 2;
        return (short) ((bytes[at] & 0xff) | (bytes[at + 1] << 8));
    }

    void off(int slot, int value) {
        int at = slot * SLOT + 2;
        bytes[at] = (byte) value;
        bytes[at + 1] = (byte) (value >> 8);
    }

    int imm(int slot) {
        int at = slot * SLOT + 4;
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16 | bytes[at + 3] << 24;
    }

    void imm(int slot, int value) {
        int at = slot * SLOT + 4;
        bytes[at] = (byte) value;
        bytes[at + 1] = (byte) (value >> 8);
        bytes[at + 2] = (byte) (value >> 16);
        bytes[at + 3] = (byte) (value >> 24);
    }

    boolean isLdImm64(int slot) {
        return code(slot) == LD_IMM64 && slot + 1 < slots;
    }

    /** A bpf-to-bpf call ({@code src_reg == BPF_PSEUDO_CALL}). */
    boolean isSubprogramCall(int slot) {
        return code(slot) == CALL && src(slot) == CallLocal.SRC_REG && dst(slot) == 0 && off(slot) == 0;
    }

    /** A function address load ({@code ld_imm64} with {@code src_reg == BPF_PSEUDO_FUNC}). */
    boolean isFunctionAddress(int slot) {
        return code(slot) == LD_IMM64 && src(slot) == Pseudo.FUNC.code();
    }
}
