package io.bpfstore.bytecode.asm;

/**
 * Long unconditional jump {@code gotol +offset} (opcode 0x06, JMP32|JA, ISA v4): the offset is in the 32-bit
 * immediate field, for functions too large for {@link Goto}.
 *
 * @param offset slots from the next instruction
 */
public record GotoLong(int offset) implements Branch {
    @Override
    public GotoLong withOffset(int offset) {
        return new GotoLong(offset);
    }
}
