package io.bpfstore.bytecode.helpers;

/** What a helper returns, from its C prototype's return type. */
public enum ReturnKind {
    /** Nothing ({@code void}). */
    VOID,
    /** A number: a result, or a negative error ({@code long}, {@code u64}, {@code int}...). */
    INTEGER,
    /**
     * A pointer to memory, or NULL ({@code void *}): a map value, a ring-buffer sample, local storage. The
     * verifier makes the program check for NULL before using it.
     */
    MEMORY,
    /** A pointer to a kernel object, or NULL ({@code struct bpf_sock *}, {@code struct tcp_sock *}...). */
    KERNEL_OBJECT
}
