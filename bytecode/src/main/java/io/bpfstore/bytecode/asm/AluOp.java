package io.bpfstore.bytecode.asm;

/**
 * Binary arithmetic operations of the ALU and ALU64 classes. The signed division and modulo share their opcode
 * with the unsigned ones and are told apart by the instruction's offset field being 1 (ISA v4).
 * Negation, byte swaps and sign-extending moves have their own records ({@link Neg}, {@link ByteSwap},
 * {@link MovSx}).
 */
public enum AluOp {
    /** {@code dst += src}. */
    ADD(0x00, 0, "+="),
    /** {@code dst -= src}. */
    SUB(0x10, 0, "-="),
    /** {@code dst *= src}. */
    MUL(0x20, 0, "*="),
    /** Unsigned division; division by zero yields zero. */
    DIV(0x30, 0, "/="),
    /** Signed division (offset 1). */
    SDIV(0x30, 1, "s/="),
    /** {@code dst |= src}. */
    OR(0x40, 0, "|="),
    /** {@code dst &= src}. */
    AND(0x50, 0, "&="),
    /** Left shift. */
    LSH(0x60, 0, "<<="),
    /** Logical right shift. */
    RSH(0x70, 0, ">>="),
    /** Unsigned modulo; modulo by zero leaves dst unchanged. */
    MOD(0x90, 0, "%="),
    /** Signed modulo (offset 1). */
    SMOD(0x90, 1, "s%="),
    /** {@code dst ^= src}. */
    XOR(0xa0, 0, "^="),
    /** {@code dst = src}. */
    MOV(0xb0, 0, "="),
    /** Arithmetic (sign-preserving) right shift. */
    ARSH(0xc0, 0, "s>>=");

    private final int code;
    private final int offset;
    private final String symbol;

    AluOp(int code, int offset, String symbol) {
        this.code = code;
        this.offset = offset;
        this.symbol = symbol;
    }

    /** The operation bits (the opcode's high nibble). */
    public int code() {
        return code;
    }

    /** The value of the offset field that selects this operation (1 for the signed variants, else 0). */
    public int offset() {
        return offset;
    }

    /** The LLVM assembly operator, e.g. {@code +=}. */
    public String symbol() {
        return symbol;
    }

    /** The operation for operation bits {@code code} and offset field {@code offset}, or null. */
    static AluOp of(int code, int offset) {
        for (AluOp op : values()) {
            if (op.code == code && op.offset == offset) {
                return op;
            }
        }
        return null;
    }
}
