package io.bpfstore.bytecode.asm;

/**
 * An instruction that may continue elsewhere in the same function: its offset counts 8-byte slots from the
 * instruction after it (a 64-bit immediate load counts as two), so the target slot is
 * {@code slot + 1 + offset()}.
 */
public sealed interface Branch extends Instruction permits Goto, GotoLong, MayGoto, JumpImm, JumpReg {
    /** Distance in slots from the next instruction to the target. */
    int offset();

    /** The same instruction with another offset (for relocation and code generation). */
    Branch withOffset(int offset);

    /** The slot this branch goes to when it sits at {@code slot}. */
    default long target(long slot) {
        return slot + 1 + offset();
    }
}
