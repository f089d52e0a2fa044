package io.bpfstore.bytecode.asm;

/**
 * {@code dst = -dst}: opcode 0x84 (32-bit) or 0x87 (64-bit). Only the K form exists.
 *
 * @param width W32 or W64
 * @param dst   the negated register
 */
public record Neg(Width width, Register dst) implements Instruction {
    /** Checks presence. */
    public Neg {
        Fields.present("width", width);
        Fields.present("dst", dst);
    }
}
