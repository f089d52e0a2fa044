package io.bpfstore.bytecode.sections;

import java.util.Optional;

/**
 * The kernel's attach types ({@code enum bpf_attach_type}), with the kernel's number and libbpf's name for each
 * ({@code libbpf_bpf_attach_type_str}, also what {@code bpftool} prints): the constant's own name, lower-cased
 * (one rule for the three kernel enums, applied by their shared lookup table).
 *
 * <p>Complete as of kernel 6.18 (checked against the running kernel's BTF by the tests), plus
 * {@link #TRACE_FSESSION}, which libbpf 1.7's section table already names. Number 0 is a real attach type
 * ({@link #CGROUP_INET_INGRESS}), which is why "no expected attach type" is an empty {@link Optional} here and not
 * a zero: libbpf and the kernel cannot tell the two apart, so code that reads a raw 0 must know from the program
 * type whether it means anything.
 */
public enum AttachType {
    /** {@code BPF_CGROUP_INET_INGRESS}. */
    CGROUP_INET_INGRESS(0),
    /** {@code BPF_CGROUP_INET_EGRESS}. */
    CGROUP_INET_EGRESS(1),
    /** {@code BPF_CGROUP_INET_SOCK_CREATE}. */
    CGROUP_INET_SOCK_CREATE(2),
    /** {@code BPF_CGROUP_SOCK_OPS}. */
    CGROUP_SOCK_OPS(3),
    /** {@code BPF_SK_SKB_STREAM_PARSER}. */
    SK_SKB_STREAM_PARSER(4),
    /** {@code BPF_SK_SKB_STREAM_VERDICT}. */
    SK_SKB_STREAM_VERDICT(5),
    /** {@code BPF_CGROUP_DEVICE}. */
    CGROUP_DEVICE(6),
    /** {@code BPF_SK_MSG_VERDICT}. */
    SK_MSG_VERDICT(7),
    /** {@code BPF_CGROUP_INET4_BIND}. */
    CGROUP_INET4_BIND(8),
    /** {@code BPF_CGROUP_INET6_BIND}. */
    CGROUP_INET6_BIND(9),
    /** {@code BPF_CGROUP_INET4_CONNECT}. */
    CGROUP_INET4_CONNECT(10),
    /** {@code BPF_CGROUP_INET6_CONNECT}. */
    CGROUP_INET6_CONNECT(11),
    /** {@code BPF_CGROUP_INET4_POST_BIND}. */
    CGROUP_INET4_POST_BIND(12),
    /** {@code BPF_CGROUP_INET6_POST_BIND}. */
    CGROUP_INET6_POST_BIND(13),
    /** {@code BPF_CGROUP_UDP4_SENDMSG}. */
    CGROUP_UDP4_SENDMSG(14),
    /** {@code BPF_CGROUP_UDP6_SENDMSG}. */
    CGROUP_UDP6_SENDMSG(15),
    /** {@code BPF_LIRC_MODE2}. */
    LIRC_MODE2(16),
    /** {@code BPF_FLOW_DISSECTOR}. */
    FLOW_DISSECTOR(17),
    /** {@code BPF_CGROUP_SYSCTL}. */
    CGROUP_SYSCTL(18),
    /** {@code BPF_CGROUP_UDP4_RECVMSG}. */
    CGROUP_UDP4_RECVMSG(19),
    /** {@code BPF_CGROUP_UDP6_RECVMSG}. */
    CGROUP_UDP6_RECVMSG(20),
    /** {@code BPF_CGROUP_GETSOCKOPT}. */
    CGROUP_GETSOCKOPT(21),
    /** {@code BPF_CGROUP_SETSOCKOPT}. */
    CGROUP_SETSOCKOPT(22),
    /** {@code BPF_TRACE_RAW_TP}. */
    TRACE_RAW_TP(23),
    /** {@code BPF_TRACE_FENTRY}. */
    TRACE_FENTRY(24),
    /** {@code BPF_TRACE_FEXIT}. */
    TRACE_FEXIT(25),
    /** {@code BPF_MODIFY_RETURN}. */
    MODIFY_RETURN(26),
    /** {@code BPF_LSM_MAC}. */
    LSM_MAC(27),
    /** {@code BPF_TRACE_ITER}. */
    TRACE_ITER(28),
    /** {@code BPF_CGROUP_INET4_GETPEERNAME}. */
    CGROUP_INET4_GETPEERNAME(29),
    /** {@code BPF_CGROUP_INET6_GETPEERNAME}. */
    CGROUP_INET6_GETPEERNAME(30),
    /** {@code BPF_CGROUP_INET4_GETSOCKNAME}. */
    CGROUP_INET4_GETSOCKNAME(31),
    /** {@code BPF_CGROUP_INET6_GETSOCKNAME}. */
    CGROUP_INET6_GETSOCKNAME(32),
    /** {@code BPF_XDP_DEVMAP}. */
    XDP_DEVMAP(33),
    /** {@code BPF_CGROUP_INET_SOCK_RELEASE}. */
    CGROUP_INET_SOCK_RELEASE(34),
    /** {@code BPF_XDP_CPUMAP}. */
    XDP_CPUMAP(35),
    /** {@code BPF_SK_LOOKUP}. */
    SK_LOOKUP(36),
    /** {@code BPF_XDP}. */
    XDP(37),
    /** {@code BPF_SK_SKB_VERDICT}. */
    SK_SKB_VERDICT(38),
    /** {@code BPF_SK_REUSEPORT_SELECT}. */
    SK_REUSEPORT_SELECT(39),
    /** {@code BPF_SK_REUSEPORT_SELECT_OR_MIGRATE}. */
    SK_REUSEPORT_SELECT_OR_MIGRATE(40),
    /** {@code BPF_PERF_EVENT}. */
    PERF_EVENT(41),
    /** {@code BPF_TRACE_KPROBE_MULTI}. */
    TRACE_KPROBE_MULTI(42),
    /** {@code BPF_LSM_CGROUP}. */
    LSM_CGROUP(43),
    /** {@code BPF_STRUCT_OPS}. */
    STRUCT_OPS(44),
    /** {@code BPF_NETFILTER}. */
    NETFILTER(45),
    /** {@code BPF_TCX_INGRESS}. */
    TCX_INGRESS(46),
    /** {@code BPF_TCX_EGRESS}. */
    TCX_EGRESS(47),
    /** {@code BPF_TRACE_UPROBE_MULTI}. */
    TRACE_UPROBE_MULTI(48),
    /** {@code BPF_CGROUP_UNIX_CONNECT}. */
    CGROUP_UNIX_CONNECT(49),
    /** {@code BPF_CGROUP_UNIX_SENDMSG}. */
    CGROUP_UNIX_SENDMSG(50),
    /** {@code BPF_CGROUP_UNIX_RECVMSG}. */
    CGROUP_UNIX_RECVMSG(51),
    /** {@code BPF_CGROUP_UNIX_GETPEERNAME}. */
    CGROUP_UNIX_GETPEERNAME(52),
    /** {@code BPF_CGROUP_UNIX_GETSOCKNAME}. */
    CGROUP_UNIX_GETSOCKNAME(53),
    /** {@code BPF_NETKIT_PRIMARY}. */
    NETKIT_PRIMARY(54),
    /** {@code BPF_NETKIT_PEER}. */
    NETKIT_PEER(55),
    /** {@code BPF_TRACE_KPROBE_SESSION}. */
    TRACE_KPROBE_SESSION(56),
    /** {@code BPF_TRACE_UPROBE_SESSION}. */
    TRACE_UPROBE_SESSION(57),
    /** {@code BPF_TRACE_FSESSION}: fentry and fexit in one program (after kernel 6.18; libbpf 1.7). */
    TRACE_FSESSION(58);

    private static final KernelEnumIndex<AttachType> INDEX = new KernelEnumIndex<>(values(), AttachType::number);

    private final int number;

    AttachType(int number) {
        this.number = number;
    }

    /** The kernel's number, as passed in {@code bpf_attr.attach_type} or {@code expected_attach_type}. */
    public int number() {
        return number;
    }

    /** libbpf's name, e.g. {@code tcx_ingress}. */
    public String libbpfName() {
        return INDEX.name(this);
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
        return INDEX.nameOf(number);
    }
}
