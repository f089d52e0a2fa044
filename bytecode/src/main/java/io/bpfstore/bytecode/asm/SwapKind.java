package io.bpfstore.bytecode.asm;

/**
 * The three byte-swap instructions. {@code le}/{@code be} (class ALU, opcode 0xd4/0xdc) convert from host order
 * to the given order, so they are no-ops or swaps depending on the host; {@code bswap} (class ALU64, opcode
 * 0xd7, ISA v4) always swaps.
 */
public enum SwapKind {
    /** To little endian ({@code BPF_TO_LE}), opcode 0xd4. */
    LE(0xd4, "le"),
    /** To big endian ({@code BPF_TO_BE}), opcode 0xdc. */
    BE(0xdc, "be"),
    /** Unconditional swap, opcode 0xd7. */
    BSWAP(0xd7, "bswap");

    private final int opcode;
    private final String mnemonic;

    SwapKind(int opcode, String mnemonic) {
        this.opcode = opcode;
        this.mnemonic = mnemonic;
    }

    /** The whole opcode byte. */
    public int opcode() {
        return opcode;
    }

    /** The LLVM mnemonic stem, e.g. {@code be} in {@code be16}. */
    String mnemonic() {
        return mnemonic;
    }
}
