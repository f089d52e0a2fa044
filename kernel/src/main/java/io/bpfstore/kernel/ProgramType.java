package io.bpfstore.kernel;

import java.util.Locale;
import java.util.Optional;

/**
 * Program types ({@code enum bpf_prog_type}) as of kernel 6.18.
 * Names are the kernel's, lower-cased without the prefix, which is also how libbpf and bpftool print them.
 * A newer kernel may report numbers missing here: {@link #of} is empty for them and {@link #nameOf}
 * prints the number.
 */
public enum ProgramType {
    /** Program type {@code BPF_PROG_TYPE_SOCKET_FILTER} (1). */
    SOCKET_FILTER(1),
    /** Program type {@code BPF_PROG_TYPE_KPROBE} (2). */
    KPROBE(2),
    /** Program type {@code BPF_PROG_TYPE_SCHED_CLS} (3). */
    SCHED_CLS(3),
    /** Program type {@code BPF_PROG_TYPE_SCHED_ACT} (4). */
    SCHED_ACT(4),
    /** Program type {@code BPF_PROG_TYPE_TRACEPOINT} (5). */
    TRACEPOINT(5),
    /** Program type {@code BPF_PROG_TYPE_XDP} (6). */
    XDP(6),
    /** Program type {@code BPF_PROG_TYPE_PERF_EVENT} (7). */
    PERF_EVENT(7),
    /** Program type {@code BPF_PROG_TYPE_CGROUP_SKB} (8). */
    CGROUP_SKB(8),
    /** Program type {@code BPF_PROG_TYPE_CGROUP_SOCK} (9). */
    CGROUP_SOCK(9),
    /** Program type {@code BPF_PROG_TYPE_LWT_IN} (10). */
    LWT_IN(10),
    /** Program type {@code BPF_PROG_TYPE_LWT_OUT} (11). */
    LWT_OUT(11),
    /** Program type {@code BPF_PROG_TYPE_LWT_XMIT} (12). */
    LWT_XMIT(12),
    /** Program type {@code BPF_PROG_TYPE_SOCK_OPS} (13). */
    SOCK_OPS(13),
    /** Program type {@code BPF_PROG_TYPE_SK_SKB} (14). */
    SK_SKB(14),
    /** Program type {@code BPF_PROG_TYPE_CGROUP_DEVICE} (15). */
    CGROUP_DEVICE(15),
    /** Program type {@code BPF_PROG_TYPE_SK_MSG} (16). */
    SK_MSG(16),
    /** Program type {@code BPF_PROG_TYPE_RAW_TRACEPOINT} (17). */
    RAW_TRACEPOINT(17),
    /** Program type {@code BPF_PROG_TYPE_CGROUP_SOCK_ADDR} (18). */
    CGROUP_SOCK_ADDR(18),
    /** Program type {@code BPF_PROG_TYPE_LWT_SEG6LOCAL} (19). */
    LWT_SEG6LOCAL(19),
    /** Program type {@code BPF_PROG_TYPE_LIRC_MODE2} (20). */
    LIRC_MODE2(20),
    /** Program type {@code BPF_PROG_TYPE_SK_REUSEPORT} (21). */
    SK_REUSEPORT(21),
    /** Program type {@code BPF_PROG_TYPE_FLOW_DISSECTOR} (22). */
    FLOW_DISSECTOR(22),
    /** Program type {@code BPF_PROG_TYPE_CGROUP_SYSCTL} (23). */
    CGROUP_SYSCTL(23),
    /** Program type {@code BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE} (24). */
    RAW_TRACEPOINT_WRITABLE(24),
    /** Program type {@code BPF_PROG_TYPE_CGROUP_SOCKOPT} (25). */
    CGROUP_SOCKOPT(25),
    /** Program type {@code BPF_PROG_TYPE_TRACING} (26). */
    TRACING(26),
    /** Program type {@code BPF_PROG_TYPE_STRUCT_OPS} (27). */
    STRUCT_OPS(27),
    /** Program type {@code BPF_PROG_TYPE_EXT} (28). */
    EXT(28),
    /** Program type {@code BPF_PROG_TYPE_LSM} (29). */
    LSM(29),
    /** Program type {@code BPF_PROG_TYPE_SK_LOOKUP} (30). */
    SK_LOOKUP(30),
    /** Program type {@code BPF_PROG_TYPE_SYSCALL} (31). */
    SYSCALL(31),
    /** Program type {@code BPF_PROG_TYPE_NETFILTER} (32). */
    NETFILTER(32);

    private static final ProgramType[] BY_NUMBER = new ProgramType[33];

    static {
        for (ProgramType t : values()) {
            BY_NUMBER[t.number] = t;
        }
    }

    private final int number;

    ProgramType(int number) {
        this.number = number;
    }

    /** The kernel's number. */
    public int number() {
        return number;
    }

    /** The name libbpf and bpftool use, e.g. {@code kprobe}. */
    public String kernelName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant for a kernel number, empty if this build does not know it. */
    public static Optional<ProgramType> of(int number) {
        return number >= 0 && number < BY_NUMBER.length ? Optional.ofNullable(BY_NUMBER[number]) : Optional.empty();
    }

    /** The constant for a libbpf/bpftool name such as {@code kprobe}. */
    public static Optional<ProgramType> named(String name) {
        for (ProgramType t : values()) {
            if (t.kernelName().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The name of a kernel number, or the number itself when this build does not know it. */
    public static String nameOf(int number) {
        return of(number).map(ProgramType::kernelName).orElse(Integer.toString(number));
    }
}
