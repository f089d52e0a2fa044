package io.bpfstore.bytecode.asm;

/** Conditions of the conditional jumps of the JMP and JMP32 classes. */
public enum JumpCondition {
    /** {@code ==}. */
    EQ(0x10, "=="),
    /** Unsigned {@code >}. */
    GT(0x20, ">"),
    /** Unsigned {@code >=}. */
    GE(0x30, ">="),
    /** {@code dst & src != 0}. */
    SET(0x40, "&"),
    /** {@code !=}. */
    NE(0x50, "!="),
    /** Signed {@code >}. */
    SGT(0x60, "s>"),
    /** Signed {@code >=}. */
    SGE(0x70, "s>="),
    /** Unsigned {@code <}. */
    LT(0xa0, "<"),
    /** Unsigned {@code <=}. */
    LE(0xb0, "<="),
    /** Signed {@code <}. */
    SLT(0xc0, "s<"),
    /** Signed {@code <=}. */
    SLE(0xd0, "s<=");

    private final int code;
    private final String symbol;

    JumpCondition(int code, String symbol) {
        this.code = code;
        this.symbol = symbol;
    }

    /** The operation bits (the opcode's high nibble). */
    public int code() {
        return code;
    }

    /** The LLVM assembly operator, e.g. {@code s>=}. */
    public String symbol() {
        return symbol;
    }

    /** The condition with operation bits {@code code}, or null. */
    static JumpCondition of(int code) {
        for (JumpCondition c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
