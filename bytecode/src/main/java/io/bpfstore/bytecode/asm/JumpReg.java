package io.bpfstore.bytecode.asm;

/**
 * {@code if dst <condition> src goto +offset} (source bit X).
 *
 * @param width     W64 (class JMP) or W32 (class JMP32, compares the low halves)
 * @param condition the comparison
 * @param dst       left operand
 * @param src       right operand
 * @param offset    slots from the next instruction, -32768 to 32767
 */
public record JumpReg(Width width, JumpCondition condition, Register dst, Register src, int offset)
        implements Branch {
    /** Checks presence and range. */
    public JumpReg {
        Fields.present("width", width);
        Fields.present("condition", condition);
        Fields.present("dst", dst);
        Fields.present("src", src);
        Fields.offset16("jump offset", offset);
    }

    @Override
    public JumpReg withOffset(int offset) {
        return new JumpReg(width, condition, dst, src, offset);
    }
}
