package io.bpfstore.bytecode.asm;

/**
 * The eleven eBPF registers. R0 holds return values, R1 to R5 carry call arguments (clobbered by calls), R6 to
 * R9 are callee-saved and R10 is the read-only frame pointer.
 */
public enum Register {
    /** Return value of calls and of the program. */
    R0,
    /** First argument; the context pointer on program entry. */
    R1,
    /** Second argument. */
    R2,
    /** Third argument. */
    R3,
    /** Fourth argument. */
    R4,
    /** Fifth argument. */
    R5,
    /** Callee-saved. */
    R6,
    /** Callee-saved. */
    R7,
    /** Callee-saved. */
    R8,
    /** Callee-saved. */
    R9,
    /** Read-only frame pointer (top of the 512-byte stack). */
    R10;

    private static final Register[] VALUES = values();

    /** The register number as encoded in an instruction's 4-bit register field. */
    public int number() {
        return ordinal();
    }

    /**
     * The register numbered {@code number}.
     *
     * @throws IllegalArgumentException if there is no such register (the field holds 11 to 15)
     */
    public static Register of(int number) {
        if (number < 0 || number >= VALUES.length) {
            throw new IllegalArgumentException("no register r" + number);
        }
        return VALUES[number];
    }

    /** Whether {@code number} names a register. */
    static boolean exists(int number) {
        return number >= 0 && number < VALUES.length;
    }
}
