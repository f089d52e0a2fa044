package io.bpfstore.bytecode.asm;

/**
 * Atomic read-modify-write on {@code *(size *)(dst + offset)} (STX|ATOMIC, opcode 0xc3 or 0xdb); the operation
 * is in the immediate. With {@code fetch}, {@code src} receives the old value; {@link AtomicOp#CMPXCHG}
 * compares with and returns into R0.
 *
 * @param size   W or DW
 * @param op     the operation
 * @param fetch  whether the old value is returned (always true for XCHG and CMPXCHG)
 * @param dst    base address
 * @param src    operand
 * @param offset byte offset, -32768 to 32767
 */
public record Atomic(Size size, AtomicOp op, boolean fetch, Register dst, Register src, int offset)
        implements Instruction {
    /** Checks presence, size, fetch flag and range. */
    public Atomic {
        if (Fields.present("size", size) != Size.W && size != Size.DW) {
            throw new IllegalArgumentException("atomic operations exist for W and DW only, not " + size);
        }
        if (!Fields.present("op", op).fetchOptional() && !fetch) {
            throw new IllegalArgumentException(op + " always fetches");
        }
        Fields.present("dst", dst);
        Fields.present("src", src);
        Fields.offset16("memory offset", offset);
    }

    /** The immediate field: the operation code, with the fetch flag if set. */
    public int imm() {
        return op.code() | (fetch ? AtomicOp.FETCH : 0);
    }
}
