package io.bpfstore.bytecode.asm;

/**
 * {@code dst op= src} (source bit X): opcode {@code op | X | ALU/ALU64}.
 *
 * @param width W32 (class ALU) or W64 (class ALU64)
 * @param op    the operation; SDIV and SMOD are encoded with offset 1
 * @param dst   destination and first operand
 * @param src   second operand
 */
public record AluReg(Width width, AluOp op, Register dst, Register src) implements Instruction {
    /** Checks presence. */
    public AluReg {
        Fields.present("width", width);
        Fields.present("op", op);
        Fields.present("dst", dst);
        Fields.present("src", src);
    }
}
