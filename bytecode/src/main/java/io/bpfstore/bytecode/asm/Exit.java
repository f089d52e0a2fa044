package io.bpfstore.bytecode.asm;

/** {@code exit} (opcode 0x95): returns R0 to the caller or ends the program. */
public record Exit() implements Instruction {
    /** The one exit instruction. */
    public static final Exit INSTANCE = new Exit();
}
