package io.bpfstore.bytecode.asm;

/**
 * Operations of atomic read-modify-write instructions (class STX, mode ATOMIC), held in the immediate field.
 * The low bit {@code BPF_FETCH} (0x01) makes the instruction also return the old value; {@link #XCHG} and
 * {@link #CMPXCHG} always fetch.
 */
public enum AtomicOp {
    /** Atomic add. */
    ADD(0x00, "+=", "add"),
    /** Atomic or. */
    OR(0x40, "|=", "or"),
    /** Atomic and. */
    AND(0x50, "&=", "and"),
    /** Atomic xor. */
    XOR(0xa0, "^=", "xor"),
    /** Exchange: stores src, returns the old value in src. */
    XCHG(0xe0, null, "xchg"),
    /** Compare and exchange: compares with R0, stores src if equal, returns the old value in R0. */
    CMPXCHG(0xf0, null, "cmpxchg");

    /** The fetch flag in the immediate. */
    public static final int FETCH = 0x01;

    private final int code;
    private final String symbol;
    private final String word;

    AtomicOp(int code, String symbol, String word) {
        this.code = code;
        this.symbol = symbol;
        this.word = word;
    }

    /** The immediate value, without the fetch flag. */
    public int code() {
        return code;
    }

    /** Whether the operation exists without the fetch flag. */
    public boolean fetchOptional() {
        return symbol != null;
    }

    /** The LLVM assembly operator of the non-fetching form, e.g. {@code +=}; null for exchanges. */
    String symbol() {
        return symbol;
    }

    /** The word LLVM uses in {@code atomic_fetch_<word>}. */
    String word() {
        return word;
    }

    /** The operation whose code is {@code imm} without the fetch flag, or null. */
    static AtomicOp of(int code) {
        for (AtomicOp op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
