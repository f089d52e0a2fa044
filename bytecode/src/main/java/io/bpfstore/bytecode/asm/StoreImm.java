package io.bpfstore.bytecode.asm;

/**
 * Store of an immediate {@code *(size *)(dst + offset) = imm} (ST|MEM); a DW store sign-extends the immediate.
 *
 * @param size   access size
 * @param dst    base address
 * @param offset byte offset, -32768 to 32767
 * @param imm    stored value
 */
public record StoreImm(Size size, Register dst, int offset, int imm) implements Instruction {
    /** Checks presence and range. */
    public StoreImm {
        Fields.present("size", size);
        Fields.present("dst", dst);
        Fields.offset16("memory offset", offset);
    }
}
