package io.bpfstore.bytecode.helpers;

/**
 * What calling a helper does beyond computing its result: the facts analyses need (packet programs' summaries,
 * the abstract interpreter's state after a call, the permissions a package asks for). One helper has any number of
 * them; {@link HelperCatalog#effects(long)} gives each helper's set.
 */
public enum HelperEffect {
    /** Reads kernel memory ({@code bpf_probe_read_kernel}, {@code bpf_get_current_task}, ...). */
    READS_KERNEL_MEMORY,
    /** Reads a process's memory ({@code bpf_probe_read_user}, {@code bpf_copy_from_user}, ...). */
    READS_USER_MEMORY,
    /** Writes a process's memory ({@code bpf_probe_write_user}). */
    WRITES_USER_MEMORY,
    /** Changes the return value of the kernel function it is attached to ({@code bpf_override_return}). */
    OVERRIDES_RETURN,
    /** Sends a signal to the current task. */
    SENDS_SIGNAL,
    /** Hands data to user space: ring buffers, perf buffers, trace output, seq files. */
    EXPORTS_DATA,
    /** Reads who the current task is: pid, uid, comm, cgroup, socket owner. */
    READS_TASK_IDENTITY,
    /** Jumps to another program ({@code bpf_tail_call}); when it succeeds, that program's verdict is returned. */
    TAIL_CALL,
    /** Sends the packet (or a socket message) somewhere else: another interface, CPU, socket. */
    REDIRECTS,
    /** Sends a copy of the packet ({@code bpf_clone_redirect}). */
    CLONES,
    /**
     * Returns a verdict for the program to return ({@code bpf_redirect}, {@code bpf_redirect_map}, {@code
     * bpf_sk_redirect_map}, ...) rather than a status.
     */
    RETURNS_VERDICT,
    /** Rewrites packet bytes in place: {@code bpf_skb_store_bytes}, checksum replacement, ECN marking. */
    WRITES_PACKET_DATA,
    /** Grows, shrinks or re-encapsulates the packet: {@code adjust_head}, {@code change_proto}, VLAN push/pop. */
    RESIZES_PACKET,
    /** Makes more of the packet directly readable ({@code bpf_skb_pull_data}); moves the data. */
    PULLS_PACKET_DATA,
    /** Sets the tunnel metadata an encapsulating device uses ({@code bpf_skb_set_tunnel_key}). */
    SETS_TUNNEL_METADATA,
    /** Looks up a map element, returning a pointer to its value or NULL ({@code bpf_map_lookup_elem}). */
    LOOKS_UP_MAP,
    /** Adds, changes or removes map elements ({@code bpf_map_update_elem}, {@code bpf_map_delete_elem}, ...). */
    WRITES_MAP,
    /** Copies packet bytes into memory the program passes ({@code bpf_skb_load_bytes}). */
    COPIES_PACKET_BYTES,
    /** May write through the pointers it is passed (most helpers but map access, tail calls and output). */
    WRITES_ARGUMENT_MEMORY;

    /** Whether the kernel invalidates packet pointers after a helper with this effect (the data may move). */
    public boolean movesPacketData() {
        return this == WRITES_PACKET_DATA || this == RESIZES_PACKET || this == PULLS_PACKET_DATA;
    }
}
