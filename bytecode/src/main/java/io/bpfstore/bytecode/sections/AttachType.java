package io.bpfstore.bytecode.sections;

import java.util.Optional;

/**
 * The kernel's attach types ({@code enum bpf_attach_type}), with the kernel's number and libbpf's name for each
 * ({@code libbpf_bpf_attach_type_str}, also what {@code bpftool} prints).
 *
 * <p>Complete as of kernel 6.18 (checked against the running kernel's BTF by the tests), plus
 * {@link #TRACE_FSESSION}, which libbpf 1.7's section table already names. Number 0 is a real attach type
 * ({@link #CGROUP_INET_INGRESS}), which is why "no expected attach type" is an empty {@link Optional} here and not
 * a zero: libbpf and the kernel cannot tell the two apart, so code that reads a raw 0 must know from the program
 * type whether it means anything.
 */
public enum AttachType {
    /** {@code BPF_CGROUP_INET_INGRESS}. */
    CGROUP_INET_INGRESS(0, "cgroup_inet_ingress"),
    /** {@code BPF_CGROUP_INET_EGRESS}. */
    CGROUP_INET_EGRESS(1, "cgroup_inet_egress"),
    /** {@code BPF_CGROUP_INET_SOCK_CREATE}. */
    CGROUP_INET_SOCK_CREATE(2, "cgroup_inet_sock_create"),
    /** {@code BPF_CGROUP_SOCK_OPS}. */
    CGROUP_SOCK_OPS(3, "cgroup_sock_ops"),
    /** {@code BPF_SK_SKB_STREAM_PARSER}. */
    SK_SKB_STREAM_PARSER(4, "sk_skb_stream_parser"),
    /** {@code BPF_SK_SKB_STREAM_VERDICT}. */
    SK_SKB_STREAM_VERDICT(5, "sk_skb_stream_verdict"),
    /** {@code BPF_CGROUP_DEVICE}. */
    CGROUP_DEVICE(6, "cgroup_device"),
    /** {@code BPF_SK_MSG_VERDICT}. */
    SK_MSG_VERDICT(7, "sk_msg_verdict"),
    /** {@code BPF_CGROUP_INET4_BIND}. */
    CGROUP_INET4_BIND(8, "cgroup_inet4_bind"),
    /** {@code BPF_CGROUP_INET6_BIND}. */
    CGROUP_INET6_BIND(9, "cgroup_inet6_bind"),
    /** {@code BPF_CGROUP_INET4_CONNECT}. */
    CGROUP_INET4_CONNECT(10, "cgroup_inet4_connect"),
    /** {@code BPF_CGROUP_INET6_CONNECT}. */
    CGROUP_INET6_CONNECT(11, "cgroup_inet6_connect"),
    /** {@code BPF_CGROUP_INET4_POST_BIND}. */
    CGROUP_INET4_POST_BIND(12, "cgroup_inet4_post_bind"),
    /** {@code BPF_CGROUP_INET6_POST_BIND}. */
    CGROUP_INET6_POST_BIND(13, "cgroup_inet6_post_bind"),
    /** {@code BPF_CGROUP_UDP4_SENDMSG}. */
    CGROUP_UDP4_SENDMSG(14, "cgroup_udp4_sendmsg"),
    /** {@code BPF_CGROUP_UDP6_SENDMSG}. */
    CGROUP_UDP6_SENDMSG(15, "cgroup_udp6_sendmsg"),
    /** {@code BPF_LIRC_MODE2}. */
    LIRC_MODE2(16, "lirc_mode2"),
    /** {@code BPF_FLOW_DISSECTOR}. */
    FLOW_DISSECTOR(17, "flow_dissector"),
    /** {@code BPF_CGROUP_SYSCTL}. */
    CGROUP_SYSCTL(18, "cgroup_sysctl"),
    /** {@code BPF_CGROUP_UDP4_RECVMSG}. */
    CGROUP_UDP4_RECVMSG(19, "cgroup_udp4_recvmsg"),
    /** {@code BPF_CGROUP_UDP6_RECVMSG}. */
    CGROUP_UDP6_RECVMSG(20, "cgroup_udp6_recvmsg"),
    /** {@code BPF_CGROUP_GETSOCKOPT}. */
    CGROUP_GETSOCKOPT(21, "cgroup_getsockopt"),
    /** {@code BPF_CGROUP_SETSOCKOPT}. */
    CGROUP_SETSOCKOPT(22, "cgroup_setsockopt"),
    /** {@code BPF_TRACE_RAW_TP}. */
    TRACE_RAW_TP(23, "trace_raw_tp"),
    /** {@code BPF_TRACE_FENTRY}. */
    TRACE_FENTRY(24, "trace_fentry"),
    /** {@code BPF_TRACE_FEXIT}. */
    TRACE_FEXIT(25, "trace_fexit"),
    /** {@code BPF_MODIFY_RETURN}. */
    MODIFY_RETURN(26, "modify_return"),
    /** {@code BPF_LSM_MAC}. */
    LSM_MAC(27, "lsm_mac"),
    /** {@code BPF_TRACE_ITER}. */
    TRACE_ITER(28, "trace_iter"),
    /** {@code BPF_CGROUP_INET4_GETPEERNAME}. */
    CGROUP_INET4_GETPEERNAME(29, "cgroup_inet4_getpeername"),
    /** {@code BPF_CGROUP_INET6_GETPEERNAME}. */
    CGROUP_INET6_GETPEERNAME(30, "cgroup_inet6_getpeername"),
    /** {@code BPF_CGROUP_INET4_GETSOCKNAME}. */
    CGROUP_INET4_GETSOCKNAME(31, "cgroup_inet4_getsockname"),
    /** {@code BPF_CGROUP_INET6_GETSOCKNAME}. */
    CGROUP_INET6_GETSOCKNAME(32, "cgroup_inet6_getsockname"),
    /** {@code BPF_XDP_DEVMAP}. */
    XDP_DEVMAP(33, "xdp_devmap"),
    /** {@code BPF_CGROUP_INET_SOCK_RELEASE}. */
    CGROUP_INET_SOCK_RELEASE(34, "cgroup_inet_sock_release"),
    /** {@code BPF_XDP_CPUMAP}. */
    XDP_CPUMAP(35, "xdp_cpumap"),
    /** {@code BPF_SK_LOOKUP}. */
    SK_LOOKUP(36, "sk_lookup"),
    /** {@code BPF_XDP}. */
    XDP(37, "xdp"),
    /** {@code BPF_SK_SKB_VERDICT}. */
    SK_SKB_VERDICT(38, "sk_skb_verdict"),
    /** {@code BPF_SK_REUSEPORT_SELECT}. */
    SK_REUSEPORT_SELECT(39, "sk_reuseport_select"),
    /** {@code BPF_SK_REUSEPORT_SELECT_OR_MIGRATE}. */
    SK_REUSEPORT_SELECT_OR_MIGRATE(40, "sk_reuseport_select_or_migrate"),
    /** {@code BPF_PERF_EVENT}. */
    PERF_EVENT(41, "perf_event"),
    /** {@code BPF_TRACE_KPROBE_MULTI}. */
    TRACE_KPROBE_MULTI(42, "trace_kprobe_multi"),
    /** {@code BPF_LSM_CGROUP}. */
    LSM_CGROUP(43, "lsm_cgroup"),
    /** {@code BPF_STRUCT_OPS}. */
    STRUCT_OPS(44, "struct_ops"),
    /** {@code BPF_NETFILTER}. */
    NETFILTER(45, "netfilter"),
    /** {@code BPF_TCX_INGRESS}. */
    TCX_INGRESS(46, "tcx_ingress"),
    /** {@code BPF_TCX_EGRESS}. */
    TCX_EGRESS(47, "tcx_egress"),
    /** {@code BPF_TRACE_UPROBE_MULTI}. */
    TRACE_UPROBE_MULTI(48, "trace_uprobe_multi"),
    /** {@code BPF_CGROUP_UNIX_CONNECT}. */
    CGROUP_UNIX_CONNECT(49, "cgroup_unix_connect"),
    /** {@code BPF_CGROUP_UNIX_SENDMSG}. */
    CGROUP_UNIX_SENDMSG(50, "cgroup_unix_sendmsg"),
    /** {@code BPF_CGROUP_UNIX_RECVMSG}. */
    CGROUP_UNIX_RECVMSG(51, "cgroup_unix_recvmsg"),
    /** {@code BPF_CGROUP_UNIX_GETPEERNAME}. */
    CGROUP_UNIX_GETPEERNAME(52, "cgroup_unix_getpeername"),
    /** {@code BPF_CGROUP_UNIX_GETSOCKNAME}. */
    CGROUP_UNIX_GETSOCKNAME(53, "cgroup_unix_getsockname"),
    /** {@code BPF_NETKIT_PRIMARY}. */
    NETKIT_PRIMARY(54, "netkit_primary"),
    /** {@code BPF_NETKIT_PEER}. */
    NETKIT_PEER(55, "netkit_peer"),
    /** {@code BPF_TRACE_KPROBE_SESSION}. */
    TRACE_KPROBE_SESSION(56, "trace_kprobe_session"),
    /** {@code BPF_TRACE_UPROBE_SESSION}. */
    TRACE_UPROBE_SESSION(57, "trace_uprobe_session"),
    /** {@code BPF_TRACE_FSESSION}: fentry and fexit in one program (after kernel 6.18; libbpf 1.7). */
    TRACE_FSESSION(58, "trace_fsession");

    private static final KernelEnumIndex<AttachType> INDEX =
            new KernelEnumIndex<>(values(), AttachType::number, AttachType::libbpfName);

    private final int number;
    private final String libbpfName;

    AttachType(int number, String libbpfName) {
        this.number = number;
        this.libbpfName = libbpfName;
    }

    /** The kernel's number, as passed in {@code bpf_attr.attach_type} or {@code expected_attach_type}. */
    public int number() {
        return number;
    }

    /** libbpf's name, e.g. {@code tcx_ingress}. */
    public String libbpfName() {
        return libbpfName;
    }

    /** The kernel's constant name, e.g. {@code BPF_TCX_INGRESS}. */
    public String kernelName() {
        return "BPF_" + name();
    }

    /** The attach type with this kernel number, or empty for a number newer than this table (or invalid). */
    public static Optional<AttachType> fromNumber(long number) {
        return INDEX.byNumber(number);
    }

    /** The attach type with this libbpf name (e.g. {@code cgroup_inet_ingress}), or empty. */
    public static Optional<AttachType> fromLibbpfName(String name) {
        return INDEX.byName(name);
    }

    /** The name of kernel number {@code number} ({@link #libbpfName()}), or the number itself when it is unknown here. */
    public static String nameOf(long number) {
        return fromNumber(number).map(AttachType::libbpfName).orElse(Long.toString(number));
    }
}
