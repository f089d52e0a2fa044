package io.bpfstore.bytecode.sections;

import java.util.Optional;

/**
 * The kernel's program types ({@code enum bpf_prog_type}), with the kernel's number and the lower-case name that
 * {@code bpftool} and libbpf ({@code libbpf_bpf_prog_type_str}) print: the constant's own name, lower-cased
 * (one rule for the three kernel enums, applied by their shared lookup table).
 *
 * <p>Complete as of kernel 6.18 (checked against the running kernel's BTF by the tests). Objects and kernels newer
 * than this table exist: a number read from a kernel or an object goes through {@link #fromNumber(long)}, which
 * answers empty for a number this table does not know instead of failing.
 */
public enum ProgramType {
    /** {@code BPF_PROG_TYPE_UNSPEC}: Reserved; the kernel rejects it. */
    UNSPEC(0),
    /** {@code BPF_PROG_TYPE_SOCKET_FILTER}: Socket filter (SO_ATTACH_BPF): drops or trims packets seen by a socket. */
    SOCKET_FILTER(1),
    /** {@code BPF_PROG_TYPE_KPROBE}: kprobe, kretprobe, uprobe, uretprobe, USDT and their multi/session forms. */
    KPROBE(2),
    /** {@code BPF_PROG_TYPE_SCHED_CLS}: tc classifier: legacy cls_bpf, tcx and netkit. */
    SCHED_CLS(3),
    /** {@code BPF_PROG_TYPE_SCHED_ACT}: tc action (act_bpf), legacy. */
    SCHED_ACT(4),
    /** {@code BPF_PROG_TYPE_TRACEPOINT}: Perf tracepoint (tracefs category/name). */
    TRACEPOINT(5),
    /** {@code BPF_PROG_TYPE_XDP}: eXpress Data Path: runs in the driver before an skb exists; also devmap/cpumap programs. */
    XDP(6),
    /** {@code BPF_PROG_TYPE_PERF_EVENT}: Runs on a perf event overflow (sampling). */
    PERF_EVENT(7),
    /** {@code BPF_PROG_TYPE_CGROUP_SKB}: cgroup ingress/egress packet filter. */
    CGROUP_SKB(8),
    /** {@code BPF_PROG_TYPE_CGROUP_SOCK}: cgroup socket creation, release and post-bind hooks. */
    CGROUP_SOCK(9),
    /** {@code BPF_PROG_TYPE_LWT_IN}: Lightweight tunnel input. */
    LWT_IN(10),
    /** {@code BPF_PROG_TYPE_LWT_OUT}: Lightweight tunnel output. */
    LWT_OUT(11),
    /** {@code BPF_PROG_TYPE_LWT_XMIT}: Lightweight tunnel transmit. */
    LWT_XMIT(12),
    /** {@code BPF_PROG_TYPE_SOCK_OPS}: TCP socket operations callbacks on a cgroup. */
    SOCK_OPS(13),
    /** {@code BPF_PROG_TYPE_SK_SKB}: sockmap/sockhash stream parser and verdict. */
    SK_SKB(14),
    /** {@code BPF_PROG_TYPE_CGROUP_DEVICE}: cgroup device access control. */
    CGROUP_DEVICE(15),
    /** {@code BPF_PROG_TYPE_SK_MSG}: sockmap/sockhash sendmsg verdict. */
    SK_MSG(16),
    /** {@code BPF_PROG_TYPE_RAW_TRACEPOINT}: Raw tracepoint: the tracepoint's raw arguments, no perf buffer. */
    RAW_TRACEPOINT(17),
    /** {@code BPF_PROG_TYPE_CGROUP_SOCK_ADDR}: cgroup bind/connect/sendmsg/recvmsg/getpeername/getsockname address hooks. */
    CGROUP_SOCK_ADDR(18),
    /** {@code BPF_PROG_TYPE_LWT_SEG6LOCAL}: SRv6 End.BPF action. */
    LWT_SEG6LOCAL(19),
    /** {@code BPF_PROG_TYPE_LIRC_MODE2}: Infrared (LIRC) decoder. */
    LIRC_MODE2(20),
    /** {@code BPF_PROG_TYPE_SK_REUSEPORT}: SO_REUSEPORT socket selection. */
    SK_REUSEPORT(21),
    /** {@code BPF_PROG_TYPE_FLOW_DISSECTOR}: Replaces the kernel flow dissector in a network namespace. */
    FLOW_DISSECTOR(22),
    /** {@code BPF_PROG_TYPE_CGROUP_SYSCTL}: cgroup sysctl access control. */
    CGROUP_SYSCTL(23),
    /** {@code BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE}: Raw tracepoint that may write its tracepoint buffer. */
    RAW_TRACEPOINT_WRITABLE(24),
    /** {@code BPF_PROG_TYPE_CGROUP_SOCKOPT}: cgroup getsockopt/setsockopt hooks. */
    CGROUP_SOCKOPT(25),
    /** {@code BPF_PROG_TYPE_TRACING}: BTF-typed tracing: fentry, fexit, fmod_ret, tp_btf, iterators. */
    TRACING(26),
    /** {@code BPF_PROG_TYPE_STRUCT_OPS}: Implements a member of a kernel struct of function pointers (e.g. a TCP congestion control). */
    STRUCT_OPS(27),
    /** {@code BPF_PROG_TYPE_EXT}: freplace: replaces a global function of another BPF program. */
    EXT(28),
    /** {@code BPF_PROG_TYPE_LSM}: BPF LSM hook. */
    LSM(29),
    /** {@code BPF_PROG_TYPE_SK_LOOKUP}: Socket lookup: picks the listening socket for a new connection or datagram. */
    SK_LOOKUP(30),
    /** {@code BPF_PROG_TYPE_SYSCALL}: Runs by BPF_PROG_RUN only; may call bpf() itself (loaders). */
    SYSCALL(31),
    /** {@code BPF_PROG_TYPE_NETFILTER}: Netfilter hook (kernel 6.4+). */
    NETFILTER(32);

    private static final KernelEnumIndex<ProgramType> INDEX = new KernelEnumIndex<>(values(), ProgramType::number);

    private final int number;

    ProgramType(int number) {
        this.number = number;
    }

    /** The kernel's number, as passed in {@code bpf_attr.prog_type}. */
    public int number() {
        return number;
    }

    /** The name {@code bpftool prog show} prints, e.g. {@code sched_cls}. */
    public String bpftoolName() {
        return INDEX.name(this);
    }

    /** The kernel's constant name, e.g. {@code BPF_PROG_TYPE_SCHED_CLS}. */
    public String kernelName() {
        return "BPF_PROG_TYPE_" + name();
    }

    /** The type with this kernel number, or empty for a number newer than this table (or invalid). */
    public static Optional<ProgramType> fromNumber(long number) {
        return INDEX.byNumber(number);
    }

    /** The type with this {@code bpftool} name (e.g. {@code xdp}), or empty. */
    public static Optional<ProgramType> fromBpftoolName(String name) {
        return INDEX.byName(name);
    }

    /** The name of kernel number {@code number} ({@link #bpftoolName()}), or the number itself when it is unknown here. */
    public static String nameOf(long number) {
        return INDEX.nameOf(number);
    }
}
