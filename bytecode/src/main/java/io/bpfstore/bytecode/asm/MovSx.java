package io.bpfstore.bytecode.asm;

/**
 * Sign-extending move {@code dst = (s<bits>) src} (ISA v4): opcode MOV|X with the source width in the offset
 * field, 8 or 16, or 32 on 64 bits only.
 *
 * @param width W32 (class ALU, result zero-extended from 32 bits) or W64
 * @param dst   destination
 * @param src   source, of which the low {@code bits} bits are sign-extended
 * @param bits  8, 16, or (W64 only) 32
 */
public record MovSx(Width width, Register dst, Register src, int bits) implements Instruction {
    /** Checks presence and the source width. */
    public MovSx {
        Fields.present("width", width);
        Fields.present("dst", dst);
        Fields.present("src", src);
        if (!(bits == 8 || bits == 16 || (bits == 32 && width == Width.W64))) {
            throw new IllegalArgumentException("movsx cannot extend from " + bits + " bits on " + width);
        }
    }
}
