package io.bpfstore.bytecode.asm;

/**
 * 64-bit immediate load (opcode 0x18, LD|IMM|DW), the only instruction taking two slots: the first carries the
 * low 32 bits in its immediate, the second (opcode, registers and offset all zero) the high 32 bits. The source
 * register field says how the loader must interpret the immediates ({@link Pseudo}).
 *
 * @param dst     destination
 * @param pseudo  meaning of the immediates
 * @param imm     immediate of the first slot (low half of the constant, a map fd, a BTF id, ...)
 * @param nextImm immediate of the second slot (high half, a map value offset, a BTF object fd, ...)
 */
public record LoadImm64(Register dst, Pseudo pseudo, int imm, int nextImm) implements Instruction {
    /** Checks presence. */
    public LoadImm64 {
        Fields.present("dst", dst);
        Fields.present("pseudo", pseudo);
    }

    /** A plain constant load {@code dst = value ll}. */
    public static LoadImm64 of(Register dst, long value) {
        return new LoadImm64(dst, Pseudo.NONE, (int) value, (int) (value >>> 32));
    }

    /** Both immediates as one 64-bit value, {@code nextImm} in the high half. */
    public long value() {
        return ((long) nextImm << 32) | (imm & 0xffffffffL);
    }

    @Override
    public int slots() {
        return 2;
    }
}
