package io.bpfstore.bytecode.asm;

import io.bpfstore.bytecode.MalformedObjectException;

/**
 * Bytes that are not a valid eBPF instruction: an unknown opcode, a register field above 10, a field the
 * encoding requires to be zero that is not, or a 64-bit immediate load cut off at the end of the code.
 * Names the section and the byte offset of the offending slot.
 */
public class InvalidInstructionException extends MalformedObjectException {
    private static final long serialVersionUID = 1L;

    /**
     * An error in {@code section} at the slot starting at {@code byteOffset}.
     *
     * @param section    the section (or other container) holding the code
     * @param byteOffset offset of the offending 8-byte slot inside it
     * @param problem    what is wrong, in plain words
     */
    public InvalidInstructionException(String section, long byteOffset, String problem) {
        super(section, byteOffset, problem);
    }

    /** Index of the offending slot (byte offset / 8). */
    public long slot() {
        return offset() / InstructionCodec.SLOT_SIZE;
    }
}
