package io.bpfstore.bytecode.asm;

/**
 * Byte-order conversion of the low {@code bits} bits of {@code dst} (the rest is zeroed), opcode
 * {@code kind.opcode()}, width in the immediate.
 *
 * @param kind conversion to little or big endian (class ALU), or unconditional swap (class ALU64)
 * @param dst  the converted register
 * @param bits 16, 32 or 64
 */
public record ByteSwap(SwapKind kind, Register dst, int bits) implements Instruction {
    /** Checks presence and width. */
    public ByteSwap {
        Fields.present("kind", kind);
        Fields.present("dst", dst);
        if (bits != 16 && bits != 32 && bits != 64) {
            throw new IllegalArgumentException("byte swap of " + bits + " bits");
        }
    }
}
