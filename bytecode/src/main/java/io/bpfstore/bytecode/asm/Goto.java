package io.bpfstore.bytecode.asm;

/**
 * Unconditional jump {@code goto +offset} (opcode 0x05, JA): the offset is in the 16-bit offset field.
 *
 * @param offset slots from the next instruction, -32768 to 32767
 */
public record Goto(int offset) implements Branch {
    /** Checks the range. */
    public Goto {
        Fields.offset16("jump offset", offset);
    }

    @Override
    public Goto withOffset(int offset) {
        return new Goto(offset);
    }
}
