package io.bpfstore.analysis.permissions;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a program can do, named for people deciding whether to install it. One vocabulary everywhere: the
 * analysis derives these, {@code bpfstore.yaml} declares them (by {@link #id()} or plain name), host policies
 * deny them, the registry shows them.
 */
public enum Permission {
    /** XDP: sees every packet arriving on an interface, before the kernel's stack. */
    INSPECTS_INTERFACE_PACKETS("inspects-interface-packets", "inspects packets on an interface",
            Capability.CAP_NET_ADMIN),
    /** tc (sched_cls/sched_act): sees packets entering or leaving an interface. */
    INSPECTS_INTERFACE_TRAFFIC("inspects-interface-traffic", "inspects traffic of an interface (tc)",
            Capability.CAP_NET_ADMIN),
    /** cgroup_skb: sees and may refuse the traffic of a cgroup's processes. */
    FILTERS_CGROUP_TRAFFIC("filters-cgroup-traffic", "filters traffic of a cgroup", Capability.CAP_NET_ADMIN),
    /** Socket filter: sees packets of the sockets it is attached to. */
    FILTERS_SOCKET_PACKETS("filters-socket-packets", "filters packets of a socket", Capability.CAP_NET_ADMIN),
    /** sockops, sk_msg, sk_skb, sk_lookup...: sees and steers sockets and their data. */
    STEERS_SOCKETS("steers-sockets", "observes and steers sockets", Capability.CAP_NET_ADMIN),
    /** Other networking program types (lwt, flow dissector, netfilter, cgroup sock...). */
    HOOKS_NETWORKING("hooks-networking", "hooks the networking stack", Capability.CAP_NET_ADMIN),
    /** kprobe, tracepoint, raw tracepoint, perf event, fentry/fexit. */
    OBSERVES_KERNEL_EVENTS("observes-kernel-events", "observes kernel events", Capability.CAP_PERFMON),
    /** A return value that discards packets (XDP_DROP, TC_ACT_SHOT, cgroup deny, socket filter 0). */
    DROPS_PACKETS("drops-packets", "drops packets", Capability.CAP_NET_ADMIN),
    /** XDP_TX: sends packets back out of the interface they came in on. */
    TRANSMITS_PACKETS("transmits-packets", "sends packets back out (XDP_TX)", Capability.CAP_NET_ADMIN),
    /** bpf_redirect*, bpf_clone_redirect, socket redirects. */
    REDIRECTS_PACKETS("redirects-packets", "redirects packets", Capability.CAP_NET_ADMIN),
    /** Stores into packet data or helpers that change packet bytes or size. */
    REWRITES_PACKETS("rewrites-packets", "rewrites packets", Capability.CAP_NET_ADMIN),
    /** bpf_probe_read_kernel, bpf_probe_read (legacy), CO-RE reads, kernel pointers. */
    READS_KERNEL_MEMORY("reads-kernel-memory", "reads kernel memory", Capability.CAP_PERFMON),
    /** bpf_probe_read_user, bpf_copy_from_user. */
    READS_PROCESS_MEMORY("reads-process-memory", "reads process memory", Capability.CAP_PERFMON),
    /** bpf_probe_write_user. */
    WRITES_PROCESS_MEMORY("writes-process-memory", "writes process memory", Capability.CAP_SYS_ADMIN),
    /** bpf_override_return. */
    ALTERS_KERNEL_RESULTS("alters-kernel-results", "alters kernel function results", Capability.CAP_SYS_ADMIN),
    /** bpf_send_signal, bpf_send_signal_thread. */
    SENDS_SIGNALS("sends-signals", "sends signals to processes", Capability.CAP_SYS_ADMIN),
    /** Ring buffer and perf event output. */
    EXPORTS_DATA("exports-data", "exports data to user space", Capability.CAP_BPF),
    /** bpf_get_current_comm, pid_tgid, uid_gid, task, cgroup id. */
    READS_PROCESS_IDENTITY("reads-process-identity", "reads process identity", Capability.CAP_BPF),
    /** bpf_tail_call: continues in another program of a prog array. */
    CALLS_OTHER_PROGRAMS("calls-other-programs", "jumps to other programs (tail calls)", Capability.CAP_BPF),
    /** kfunc calls: kernel functions outside the stable helper interface. */
    CALLS_KERNEL_FUNCTIONS("calls-kernel-functions", "calls kernel functions (kfuncs)", Capability.CAP_BPF),
    /** Program types with no narrower capability (LSM, struct_ops, syscall, ext, cgroup sysctl/device...). */
    EXTENDS_KERNEL("extends-kernel", "extends kernel behaviour", Capability.CAP_SYS_ADMIN);

    private static final Map<String, Permission> BY_NAME = byName();

    private final String id;
    private final String description;
    private final Capability capability;

    Permission(String id, String description, Capability capability) {
        this.id = id;
        this.description = description;
        this.capability = capability;
    }

    private static Map<String, Permission> byName() {
        Map<String, Permission> m = new HashMap<>();
        for (Permission p : values()) {
            m.put(p.id, p);
            m.put(p.description, p);
        }
        return Map.copyOf(m);
    }

    /**
     * The stable machine id, e.g. {@code drops-packets}: what {@code bpfstore.yaml}, labels, host policies and
     * JSON output use. Never changes once published (the constant's Java name may).
     */
    public String id() {
        return id;
    }

    /**
     * The permission named by its {@link #id()} or by its exact {@link #description()} (the manifest accepts
     * either); empty for any other text.
     */
    public static Optional<Permission> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Every id, in declaration order, for messages that list what is allowed. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Permission::id).toList();
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
