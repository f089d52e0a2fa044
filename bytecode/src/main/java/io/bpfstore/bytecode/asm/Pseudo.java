package io.bpfstore.bytecode.asm;

/**
 * What the source register field of a 64-bit immediate load ({@link LoadImm64}) says about its immediate
 * ({@code BPF_PSEUDO_*} in the kernel's {@code bpf.h}). The loader rewrites all but {@link #NONE} before the
 * kernel sees them, or the kernel resolves them at load time.
 */
public enum Pseudo {
    /** A plain 64-bit constant. */
    NONE,
    /** imm is a map file descriptor; the register receives the map. */
    MAP_FD,
    /** imm is a map file descriptor, next imm an offset into its value; the register receives the address. */
    MAP_VALUE,
    /** imm is a BTF id of a kernel variable, next imm the BTF object's fd (0 for vmlinux). */
    BTF_ID,
    /** imm is the offset in instructions of a bpf-to-bpf function, relative to the next instruction. */
    FUNC,
    /** imm is an index into the fd array passed with the program. */
    MAP_IDX,
    /** imm is an index into the fd array, next imm an offset into the map's value. */
    MAP_IDX_VALUE;

    private static final Pseudo[] VALUES = values();

    /** The value of the source register field. */
    public int code() {
        return ordinal();
    }

    /** The pseudo source with source register field {@code code}, or null. */
    static Pseudo of(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }
}
