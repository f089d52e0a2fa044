package io.bpfstore.bytecode.asm;

/**
 * {@code may_goto +offset} (opcode 0xe5, JMP|JCOND, kernel 6.9, LLVM 19): falls through while the kernel's
 * per-loop budget lasts, then jumps; bounds open-coded loops.
 *
 * @param offset slots from the next instruction, -32768 to 32767
 */
public record MayGoto(int offset) implements Branch {
    /** Checks the range. */
    public MayGoto {
        Fields.offset16("jump offset", offset);
    }

    @Override
    public MayGoto withOffset(int offset) {
        return new MayGoto(offset);
    }
}
