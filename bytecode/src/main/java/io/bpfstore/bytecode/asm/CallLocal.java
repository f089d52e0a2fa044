package io.bpfstore.bytecode.asm;

/**
 * bpf-to-bpf call (opcode 0x85, source register 1, {@code BPF_PSEUDO_CALL}): the immediate is the callee's
 * distance in slots from the next instruction. In relocatable objects it is typically -1 plus a relocation
 * against the callee's symbol; the loader fixes it up.
 *
 * @param offset slots from the next instruction to the callee's first instruction
 */
public record CallLocal(int offset) implements Instruction {
    /** The source register value that makes a call bpf-to-bpf ({@code BPF_PSEUDO_CALL}). */
    public static final int SRC_REG = 1;

    /** The slot of the callee when this call sits at {@code slot}. */
    public long target(long slot) {
        return slot + 1 + offset;
    }
}
