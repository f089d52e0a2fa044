package io.bpfstore.bytecode.asm;

/**
 * {@code dst = addr_space_cast(src, dstAddressSpace, srcAddressSpace)} (BPF arena, kernel 6.9, LLVM 19): opcode
 * 0xbf (MOV|X|ALU64) with offset 1; the immediate holds {@code dstAddressSpace << 16 | srcAddressSpace}.
 *
 * @param dst destination
 * @param src source pointer
 * @param imm the raw immediate (the kernel accepts only 1, arena to kernel, and 0x10000, kernel to arena)
 */
public record AddrSpaceCast(Register dst, Register src, int imm) implements Instruction {
    /** Checks presence. */
    public AddrSpaceCast {
        Fields.present("dst", dst);
        Fields.present("src", src);
    }

    /** Address space of the result (high 16 bits of the immediate). */
    public int dstAddressSpace() {
        return imm >>> 16;
    }

    /** Address space of the source (low 16 bits of the immediate). */
    public int srcAddressSpace() {
        return imm & 0xffff;
    }
}
