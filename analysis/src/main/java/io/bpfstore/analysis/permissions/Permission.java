package io.bpfstore.analysis.permissions;

/** What a program can do, named for people deciding whether to install it. */
public enum Permission {
    /** XDP: sees every packet arriving on an interface, before the kernel's stack. */
    INSPECTS_INTERFACE_PACKETS("inspects packets on an interface", Capability.CAP_NET_ADMIN),
    /** tc (sched_cls/sched_act): sees packets entering or leaving an interface. */
    INSPECTS_INTERFACE_TRAFFIC("inspects traffic of an interface (tc)", Capability.CAP_NET_ADMIN),
    /** cgroup_skb: sees and may refuse the traffic of a cgroup's processes. */
    FILTERS_CGROUP_TRAFFIC("filters traffic of a cgroup", Capability.CAP_NET_ADMIN),
    /** Socket filter: sees packets of the sockets it is attached to. */
    FILTERS_SOCKET_PACKETS("filters packets of a socket", Capability.CAP_NET_ADMIN),
    /** sockops, sk_msg, sk_skb, sk_lookup...: sees and steers sockets and their data. */
    STEERS_SOCKETS("observes and steers sockets", Capability.CAP_NET_ADMIN),
    /** Other networking program types (lwt, flow dissector, netfilter, cgroup sock...). */
    HOOKS_NETWORKING("hooks the networking stack", Capability.CAP_NET_ADMIN),
    /** kprobe, tracepoint, raw tracepoint, perf event, fentry/fexit. */
    OBSERVES_KERNEL_EVENTS("observes kernel events", Capability.CAP_PERFMON),
    /** A return value that discards packets (XDP_DROP, TC_ACT_SHOT, cgroup deny, socket filter 0). */
    DROPS_PACKETS("drops packets", Capability.CAP_NET_ADMIN),
    /** XDP_TX: sends packets back out of the interface they came in on. */
    TRANSMITS_PACKETS("sends packets back out (XDP_TX)", Capability.CAP_NET_ADMIN),
    /** bpf_redirect*, bpf_clone_redirect, socket redirects. */
    REDIRECTS_PACKETS("redirects packets", Capability.CAP_NET_ADMIN),
    /** Stores into packet data or helpers that change packet bytes or size. */
    REWRITES_PACKETS("rewrites packets", Capability.CAP_NET_ADMIN),
    /** bpf_probe_read_kernel, bpf_probe_read (legacy), CO-RE reads, kernel pointers. */
    READS_KERNEL_MEMORY("reads kernel memory", Capability.CAP_PERFMON),
    /** bpf_probe_read_user, bpf_copy_from_user. */
    READS_PROCESS_MEMORY("reads process memory", Capability.CAP_PERFMON),
    /** bpf_probe_write_user. */
    WRITES_PROCESS_MEMORY("writes process memory", Capability.CAP_SYS_ADMIN),
    /** bpf_override_return. */
    ALTERS_KERNEL_RESULTS("alters kernel function results", Capability.CAP_SYS_ADMIN),
    /** bpf_send_signal, bpf_send_signal_thread. */
    SENDS_SIGNALS("sends signals to processes", Capability.CAP_SYS_ADMIN),
    /** Ring buffer and perf event output. */
    EXPORTS_DATA("exports data to user space", Capability.CAP_BPF),
    /** bpf_get_current_comm, pid_tgid, uid_gid, task, cgroup id. */
    READS_PROCESS_IDENTITY("reads process identity", Capability.CAP_BPF),
    /** bpf_tail_call: continues in another program of a prog array. */
    CALLS_OTHER_PROGRAMS("jumps to other programs (tail calls)", Capability.CAP_BPF),
    /** kfunc calls: kernel functions outside the stable helper interface. */
    CALLS_KERNEL_FUNCTIONS("calls kernel functions (kfuncs)", Capability.CAP_BPF),
    /** Program types with no narrower capability (LSM, struct_ops, syscall, ext, cgroup sysctl/device...). */
    EXTENDS_KERNEL("extends kernel behaviour", Capability.CAP_SYS_ADMIN);

    private final String description;
    private final Capability capability;

    Permission(String description, Capability capability) {
        this.description = description;
        this.capability = capability;
    }

    /** The plain-words name, e.g. "drops packets on an interface". */
    public String description() {
        return description;
    }

    /** The capability this needs beyond {@link Capability#CAP_BPF}. */
    public Capability capability() {
        return capability;
    }

    @Override
    public String toString() {
        return description;
    }
}
