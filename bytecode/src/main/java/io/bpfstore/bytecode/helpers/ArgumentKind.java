package io.bpfstore.bytecode.helpers;

/**
 * What a helper argument is, as far as the helper's C prototype in the kernel's UAPI header tells. The verifier
 * has finer argument types ({@code ARG_PTR_TO_MAP_KEY}, {@code ARG_CONST_SIZE_OR_ZERO}...), but those live in
 * kernel sources, not in the UAPI; these kinds are what the prototype's types, {@code const} and parameter names
 * say, by the rules in {@link HelperPrototype#parse(String)}.
 */
public enum ArgumentKind {
    /** The program's context (the pointer the program was called with): {@code void *ctx}, {@code struct sk_buff *skb}. */
    CONTEXT,
    /** A map: {@code struct bpf_map *map}. */
    MAP,
    /** Memory the helper only reads ({@code const} in the prototype): keys, values, format strings. */
    READABLE_MEMORY,
    /**
     * Memory the helper may write (a non-{@code const} pointer): output buffers, UAPI structs. Some of these are
     * only read: the UAPI prototypes are not {@code const}-correct everywhere.
     */
    WRITABLE_MEMORY,
    /** The byte size of the memory argument just before it: {@code u32 size}, {@code u32 len}. */
    SIZE,
    /** A flags word: {@code u64 flags}. */
    FLAGS,
    /** Any other number: offsets, indexes, ifindexes, checksums. */
    SCALAR,
    /** A pointer to a kernel object the program got from the kernel: a socket, a task, a file, a cgroup. */
    KERNEL_OBJECT,
    /** A dynamic pointer: {@code struct bpf_dynptr *}. */
    DYNPTR,
    /** A special field inside a map value: {@code struct bpf_spin_lock *}, {@code struct bpf_timer *}. */
    MAP_VALUE_FIELD,
    /** A BPF function the helper calls back: {@code void *callback_fn}. */
    CALLBACK,
    /** The pointer a helper passes on to its callback: {@code void *callback_ctx}. */
    CALLBACK_CONTEXT,
    /** The C variadic {@code ...} (only {@code bpf_trace_printk}). */
    VARIADIC
}
