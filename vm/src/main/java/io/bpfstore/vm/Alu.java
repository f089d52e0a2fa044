package io.bpfstore.vm;

import io.bpfstore.bytecode.asm.AluOp;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.asm.SwapKind;

/**
 * The arithmetic of the instruction set as pure functions, shared by the interpreter and the compiled form so
 * both agree bit for bit. 32-bit results come back zero-extended, as the register would hold them.
 */
public final class Alu {
    private Alu() {
    }

    /** {@code dst op src} on 64 bits. */
    public static long alu64(AluOp op, long dst, long src) {
        return switch (op) {
            case ADD -> dst + src;
            case SUB -> dst - src;
            case MUL -> dst * src;
            case DIV -> src == 0 ? 0 : Long.divideUnsigned(dst, src);
            case SDIV -> src == 0 ? 0 : (src == -1 ? -dst : dst / src);
            case OR -> dst | src;
            case AND -> dst & src;
            case LSH -> dst << (src & 63);
            case RSH -> dst >>> (src & 63);
            case MOD -> src == 0 ? dst : Long.remainderUnsigned(dst, src);
            case SMOD -> src == 0 ? dst : (src == -1 ? 0 : dst % src);
            case XOR -> dst ^ src;
            case MOV -> src;
            case ARSH -> dst >> (src & 63);
        };
    }

    /** {@code wdst op wsrc} on 32 bits, zero-extended. */
    public static long alu32(AluOp op, long dst64, long src64) {
        int dst = (int) dst64;
        int src = (int) src64;
        int result = switch (op) {
            case ADD -> dst + src;
            case SUB -> dst - src;
            case MUL -> dst * src;
            case DIV -> src == 0 ? 0 : Integer.divideUnsigned(dst, src);
            case SDIV -> src == 0 ? 0 : (src == -1 ? -dst : dst / src);
            case OR -> dst | src;
            case AND -> dst & src;
            case LSH -> dst << (src & 31);
            case RSH -> dst >>> (src & 31);
            case MOD -> src == 0 ? dst : Integer.remainderUnsigned(dst, src);
            case SMOD -> src == 0 ? dst : (src == -1 ? 0 : dst % src);
            case XOR -> dst ^ src;
            case MOV -> src;
            case ARSH -> dst >> (src & 31);
        };
        return result & 0xffffffffL;
    }

    /** Whether {@code dst condition src} holds on 64 bits. */
    public static boolean jump64(JumpCondition condition, long dst, long src) {
        return switch (condition) {
            case EQ -> dst == src;
            case NE -> dst != src;
            case GT -> Long.compareUnsigned(dst, src) > 0;
            case GE -> Long.compareUnsigned(dst, src) >= 0;
            case LT -> Long.compareUnsigned(dst, src) < 0;
            case LE -> Long.compareUnsigned(dst, src) <= 0;
            case SGT -> dst > src;
            case SGE -> dst >= src;
            case SLT -> dst < src;
            case SLE -> dst <= src;
            case SET -> (dst & src) != 0;
        };
    }

    /**
     * Whether {@code wdst condition wsrc} holds on the low 32 bits. Sign-extending both halves to 64 bits keeps
     * every condition's answer: equality and bit tests, the signed order, and the unsigned order too (halves with
     * the top bit clear stay below those with it set).
     */
    public static boolean jump32(JumpCondition condition, long dst64, long src64) {
        return jump64(condition, (int) dst64, (int) src64);
    }

    /** The byte-order instructions on a little-endian machine: {@code le} truncates, {@code be}/{@code bswap} swap. */
    public static long swap(SwapKind kind, long value, int bits) {
        if (kind == SwapKind.LE) {
            return truncate(value, bits);
        }
        return switch (bits) {
            case 16 -> Short.reverseBytes((short) value) & 0xffffL;
            case 32 -> Integer.reverseBytes((int) value) & 0xffffffffL;
            default -> Long.reverseBytes(value);
        };
    }

    /** Sign-extends the low {@code bits} of {@code value} to 64 bits. */
    public static long signExtend(long value, int bits) {
        int shift = 64 - bits;
        return (value << shift) >> shift;
    }

    /** The low {@code bits} of {@code value}. */
    public static long truncate(long value, int bits) {
        return bits == 64 ? value : value & ((1L << bits) - 1);
    }
}
