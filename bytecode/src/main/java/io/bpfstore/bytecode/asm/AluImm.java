package io.bpfstore.bytecode.asm;

/**
 * {@code dst op= imm} (source bit K): opcode {@code op | K | ALU/ALU64}. On 64 bits the immediate is
 * sign-extended.
 *
 * @param width W32 (class ALU) or W64 (class ALU64)
 * @param op    the operation; SDIV and SMOD are encoded with offset 1
 * @param dst   destination and first operand
 * @param imm   the 32-bit immediate
 */
public record AluImm(Width width, AluOp op, Register dst, int imm) implements Instruction {
    /** Checks presence. */
    public AluImm {
        Fields.present("width", width);
        Fields.present("op", op);
        Fields.present("dst", dst);
    }
}
