package io.bpfstore.bytecode.asm;

/**
 * Legacy packet load {@code r0 = *(size *)skb[src + imm]} (LD|IND, socket filters only). llvm-objdump prints
 * only the register and omits the immediate.
 *
 * @param size W, H or B (there is no DW form)
 * @param src  register holding the packet offset
 * @param imm  constant added to it
 */
public record LoadIndirect(Size size, Register src, int imm) implements Instruction {
    /** Checks presence and size. */
    public LoadIndirect {
        Fields.present("src", src);
        if (Fields.present("size", size) == Size.DW) {
            throw new IllegalArgumentException("LD_IND has no DW form");
        }
    }
}
