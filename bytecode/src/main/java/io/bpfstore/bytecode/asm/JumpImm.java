package io.bpfstore.bytecode.asm;

/**
 * {@code if dst <condition> imm goto +offset} (source bit K).
 *
 * @param width     W64 (class JMP) or W32 (class JMP32, compares the low halves)
 * @param condition the comparison
 * @param dst       left operand
 * @param imm       right operand, sign-extended on 64 bits
 * @param offset    slots from the next instruction, -32768 to 32767
 */
public record JumpImm(Width width, JumpCondition condition, Register dst, int imm, int offset) implements Branch {
    /** Checks presence and range. */
    public JumpImm {
        Fields.present("width", width);
        Fields.present("condition", condition);
        Fields.present("dst", dst);
        Fields.offset16("jump offset", offset);
    }

    @Override
    public JumpImm withOffset(int offset) {
        return new JumpImm(width, condition, dst, imm, offset);
    }
}
