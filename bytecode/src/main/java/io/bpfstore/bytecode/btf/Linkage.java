package io.bpfstore.bytecode.btf;

/**
 * Linkage of a FUNC or VAR, numbered as {@code BTF_FUNC_*} and {@code BTF_VAR_*} in the kernel (both use 0, 1, 2
 * for the same meanings). The lower-case name is what bpftool prints.
 */
public enum Linkage {
    /** File-local ({@code static}). */
    STATIC,
    /** Defined here and visible to other objects ({@code BTF_VAR_GLOBAL_ALLOCATED}). */
    GLOBAL,
    /** Declared here, defined elsewhere ({@code extern}, e.g. kfuncs and kconfig variables). */
    EXTERN;

    /** The kernel's number: the ordinal. */
    public int number() {
        return ordinal();
    }

    /** How bpftool prints it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
