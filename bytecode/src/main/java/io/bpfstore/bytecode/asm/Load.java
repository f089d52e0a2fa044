package io.bpfstore.bytecode.asm;

/**
 * Memory load {@code dst = *(size *)(src + offset)}, zero-extended (LDX|MEM).
 *
 * @param size   access size
 * @param dst    destination
 * @param src    base address
 * @param offset byte offset, -32768 to 32767
 */
public record Load(Size size, Register dst, Register src, int offset) implements Instruction {
    /** Checks presence and range. */
    public Load {
        Fields.present("size", size);
        Fields.present("dst", dst);
        Fields.present("src", src);
        Fields.offset16("memory offset", offset);
    }
}
