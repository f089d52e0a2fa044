package io.bpfstore.bytecode.asm;

/**
 * Sign-extending memory load {@code dst = *(s<bits> *)(src + offset)} (LDX|MEMSX, ISA v4).
 *
 * @param size   B, H or W (a DW load needs no extension and has no MEMSX form)
 * @param dst    destination
 * @param src    base address
 * @param offset byte offset, -32768 to 32767
 */
public record LoadSigned(Size size, Register dst, Register src, int offset) implements Instruction {
    /** Checks presence, size and range. */
    public LoadSigned {
        if (Fields.present("size", size) == Size.DW) {
            throw new IllegalArgumentException("sign-extending load has no DW form");
        }
        Fields.present("dst", dst);
        Fields.present("src", src);
        Fields.offset16("memory offset", offset);
    }
}
