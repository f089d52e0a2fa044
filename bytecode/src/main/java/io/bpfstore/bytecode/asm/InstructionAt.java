package io.bpfstore.bytecode.asm;

/**
 * A decoded instruction and where it sits.
 *
 * @param slot        index of its first 8-byte slot in the section; a {@link LoadImm64} takes this and the next
 * @param instruction the instruction
 */
public record InstructionAt(int slot, Instruction instruction) {
    /** Checks presence. */
    public InstructionAt {
        Fields.present("instruction", instruction);
        if (slot < 0) {
            throw new IllegalArgumentException("negative slot " + slot);
        }
    }

    /** Byte offset of the instruction in its section. */
    public long byteOffset() {
        return (long) slot * InstructionCodec.SLOT_SIZE;
    }
}
