package io.bpfstore.bytecode.asm;

/**
 * Store of a register {@code *(size *)(dst + offset) = src} (STX|MEM).
 *
 * @param size   access size
 * @param dst    base address
 * @param src    stored value (its low {@code size} bytes)
 * @param offset byte offset, -32768 to 32767
 */
public record Store(Size size, Register dst, Register src, int offset) implements Instruction {
    /** Checks presence and range. */
    public Store {
        Fields.present("size", size);
        Fields.present("dst", dst);
        Fields.present("src", src);
        Fields.offset16("memory offset", offset);
    }
}
