package io.bpfstore.kernel;

import java.util.Locale;
import java.util.Optional;

/**
 * Attach types ({@code enum bpf_attach_type}) as of kernel 6.18.
 * Names are the kernel's, lower-cased without the prefix, which is also how libbpf and bpftool print them.
 * A newer kernel may report numbers missing here: {@link #of} is empty for them and {@link #nameOf}
 * prints the number.
 */
public enum AttachType {
    /** Attach type {@code BPF_CGROUP_INET_INGRESS} (0). */
    CGROUP_INET_INGRESS(0),
    /** Attach type {@code BPF_CGROUP_INET_EGRESS} (1). */
    CGROUP_INET_EGRESS(1),
    /** Attach type {@code BPF_CGROUP_INET_SOCK_CREATE} (2). */
    CGROUP_INET_SOCK_CREATE(2),
    /** Attach type {@code BPF_CGROUP_SOCK_OPS} (3). */
    CGROUP_SOCK_OPS(3),
    /** Attach type {@code BPF_SK_SKB_STREAM_PARSER} (4). */
    SK_SKB_STREAM_PARSER(4),
    /** Attach type {@code BPF_SK_SKB_STREAM_VERDICT} (5). */
    SK_SKB_STREAM_VERDICT(5),
    /** Attach type {@code BPF_CGROUP_DEVICE} (6). */
    CGROUP_DEVICE(6),
    /** Attach type {@code BPF_SK_MSG_VERDICT} (7). */
    SK_MSG_VERDICT(7),
    /** Attach type {@code BPF_CGROUP_INET4_BIND} (8). */
    CGROUP_INET4_BIND(8),
    /** Attach type {@code BPF_CGROUP_INET6_BIND} (9). */
    CGROUP_INET6_BIND(9),
    /** Attach type {@code BPF_CGROUP_INET4_CONNECT} (10). */
    CGROUP_INET4_CONNECT(10),
    /** Attach type {@code BPF_CGROUP_INET6_CONNECT} (11). */
    CGROUP_INET6_CONNECT(11),
    /** Attach type {@code BPF_CGROUP_INET4_POST_BIND} (12). */
    CGROUP_INET4_POST_BIND(12),
    /** Attach type {@code BPF_CGROUP_INET6_POST_BIND} (13). */
    CGROUP_INET6_POST_BIND(13),
    /** Attach type {@code BPF_CGROUP_UDP4_SENDMSG} (14). */
    CGROUP_UDP4_SENDMSG(14),
    /** Attach type {@code BPF_CGROUP_UDP6_SENDMSG} (15). */
    CGROUP_UDP6_SENDMSG(15),
    /** Attach type {@code BPF_LIRC_MODE2} (16). */
    LIRC_MODE2(16),
    /** Attach type {@code BPF_FLOW_DISSECTOR} (17). */
    FLOW_DISSECTOR(17),
    /** Attach type {@code BPF_CGROUP_SYSCTL} (18). */
    CGROUP_SYSCTL(18),
    /** Attach type {@code BPF_CGROUP_UDP4_RECVMSG} (19). */
    CGROUP_UDP4_RECVMSG(19),
    /** Attach type {@code BPF_CGROUP_UDP6_RECVMSG} (20). */
    CGROUP_UDP6_RECVMSG(20),
    /** Attach type {@code BPF_CGROUP_GETSOCKOPT} (21). */
    CGROUP_GETSOCKOPT(21),
    /** Attach type {@code BPF_CGROUP_SETSOCKOPT} (22). */
    CGROUP_SETSOCKOPT(22),
    /** Attach type {@code BPF_TRACE_RAW_TP} (23). */
    TRACE_RAW_TP(23),
    /** Attach type {@code BPF_TRACE_FENTRY} (24). */
    TRACE_FENTRY(24),
    /** Attach type {@code BPF_TRACE_FEXIT} (25). */
    TRACE_FEXIT(25),
    /** Attach type {@code BPF_MODIFY_RETURN} (26). */
    MODIFY_RETURN(26),
    /** Attach type {@code BPF_LSM_MAC} (27). */
    LSM_MAC(27),
    /** Attach type {@code BPF_TRACE_ITER} (28). */
    TRACE_ITER(28),
    /** Attach type {@code BPF_CGROUP_INET4_GETPEERNAME} (29). */
    CGROUP_INET4_GETPEERNAME(29),
    /** Attach type {@code BPF_CGROUP_INET6_GETPEERNAME} (30). */
    CGROUP_INET6_GETPEERNAME(30),
    /** Attach type {@code BPF_CGROUP_INET4_GETSOCKNAME} (31). */
    CGROUP_INET4_GETSOCKNAME(31),
    /** Attach type {@code BPF_CGROUP_INET6_GETSOCKNAME} (32). */
    CGROUP_INET6_GETSOCKNAME(32),
    /** Attach type {@code BPF_XDP_DEVMAP} (33). */
    XDP_DEVMAP(33),
    /** Attach type {@code BPF_CGROUP_INET_SOCK_RELEASE} (34). */
    CGROUP_INET_SOCK_RELEASE(34),
    /** Attach type {@code BPF_XDP_CPUMAP} (35). */
    XDP_CPUMAP(35),
    /** Attach type {@code BPF_SK_LOOKUP} (36). */
    SK_LOOKUP(36),
    /** Attach type {@code BPF_XDP} (37). */
    XDP(37),
    /** Attach type {@code BPF_SK_SKB_VERDICT} (38). */
    SK_SKB_VERDICT(38),
    /** Attach type {@code BPF_SK_REUSEPORT_SELECT} (39). */
    SK_REUSEPORT_SELECT(39),
    /** Attach type {@code BPF_SK_REUSEPORT_SELECT_OR_MIGRATE} (40). */
    SK_REUSEPORT_SELECT_OR_MIGRATE(40),
    /** Attach type {@code BPF_PERF_EVENT} (41). */
    PERF_EVENT(41),
    /** Attach type {@code BPF_TRACE_KPROBE_MULTI} (42). */
    TRACE_KPROBE_MULTI(42),
    /** Attach type {@code BPF_LSM_CGROUP} (43). */
    LSM_CGROUP(43),
    /** Attach type {@code BPF_STRUCT_OPS} (44). */
    STRUCT_OPS(44),
    /** Attach type {@code BPF_NETFILTER} (45). */
    NETFILTER(45),
    /** Attach type {@code BPF_TCX_INGRESS} (46). */
    TCX_INGRESS(46),
    /** Attach type {@code BPF_TCX_EGRESS} (47). */
    TCX_EGRESS(47),
    /** Attach type {@code BPF_TRACE_UPROBE_MULTI} (48). */
    TRACE_UPROBE_MULTI(48),
    /** Attach type {@code BPF_CGROUP_UNIX_CONNECT} (49). */
    CGROUP_UNIX_CONNECT(49),
    /** Attach type {@code BPF_CGROUP_UNIX_SENDMSG} (50). */
    CGROUP_UNIX_SENDMSG(50),
    /** Attach type {@code BPF_CGROUP_UNIX_RECVMSG} (51). */
    CGROUP_UNIX_RECVMSG(51),
    /** Attach type {@code BPF_CGROUP_UNIX_GETPEERNAME} (52). */
    CGROUP_UNIX_GETPEERNAME(52),
    /** Attach type {@code BPF_CGROUP_UNIX_GETSOCKNAME} (53). */
    CGROUP_UNIX_GETSOCKNAME(53),
    /** Attach type {@code BPF_NETKIT_PRIMARY} (54). */
    NETKIT_PRIMARY(54),
    /** Attach type {@code BPF_NETKIT_PEER} (55). */
    NETKIT_PEER(55),
    /** Attach type {@code BPF_TRACE_KPROBE_SESSION} (56). */
    TRACE_KPROBE_SESSION(56),
    /** Attach type {@code BPF_TRACE_UPROBE_SESSION} (57). */
    TRACE_UPROBE_SESSION(57);

    private static final AttachType[] BY_NUMBER = new AttachType[58];

    static {
        for (AttachType t : values()) {
            BY_NUMBER[t.number] = t;
        }
    }

    private final int number;

    AttachType(int number) {
        this.number = number;
    }

    /** The kernel's number. */
    public int number() {
        return number;
    }

    /** The name libbpf and bpftool use, e.g. {@code cgroup_inet_egress}. */
    public String kernelName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant for a kernel number, empty if this build does not know it. */
    public static Optional<AttachType> of(int number) {
        return number >= 0 && number < BY_NUMBER.length ? Optional.ofNullable(BY_NUMBER[number]) : Optional.empty();
    }

    /** The constant for a libbpf/bpftool name such as {@code cgroup_inet_egress}. */
    public static Optional<AttachType> named(String name) {
        for (AttachType t : values()) {
            if (t.kernelName().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The name of a kernel number, or the number itself when this build does not know it. */
    public static String nameOf(int number) {
        return of(number).map(AttachType::kernelName).orElse(Integer.toString(number));
    }
}
