package io.bpfstore.bytecode.asm;

/**
 * Legacy packet load {@code r0 = *(size *)skb[imm]} (LD|ABS, socket filters only): reads from the packet at a
 * constant offset, in network byte order converted to host order; R6 must hold the skb. The destination is
 * always R0.
 *
 * @param size W, H or B (there is no DW form)
 * @param imm  packet offset
 */
public record LoadAbsolute(Size size, int imm) implements Instruction {
    /** Checks the size. */
    public LoadAbsolute {
        if (Fields.present("size", size) == Size.DW) {
            throw new IllegalArgumentException("LD_ABS has no DW form");
        }
    }
}
