package io.bpfstore.kernel;

import java.util.Locale;
import java.util.Optional;

/**
 * Link types ({@code enum bpf_link_type}) as of kernel 6.18.
 * Names are the kernel's, lower-cased without the prefix, which is also how libbpf and bpftool print them.
 * A newer kernel may report numbers missing here: {@link #of} is empty for them and {@link #nameOf}
 * prints the number.
 */
public enum LinkType {
    /** Link type {@code BPF_LINK_TYPE_RAW_TRACEPOINT} (1). */
    RAW_TRACEPOINT(1),
    /** Link type {@code BPF_LINK_TYPE_TRACING} (2). */
    TRACING(2),
    /** Link type {@code BPF_LINK_TYPE_CGROUP} (3). */
    CGROUP(3),
    /** Link type {@code BPF_LINK_TYPE_ITER} (4). */
    ITER(4),
    /** Link type {@code BPF_LINK_TYPE_NETNS} (5). */
    NETNS(5),
    /** Link type {@code BPF_LINK_TYPE_XDP} (6). */
    XDP(6),
    /** Link type {@code BPF_LINK_TYPE_PERF_EVENT} (7). */
    PERF_EVENT(7),
    /** Link type {@code BPF_LINK_TYPE_KPROBE_MULTI} (8). */
    KPROBE_MULTI(8),
    /** Link type {@code BPF_LINK_TYPE_STRUCT_OPS} (9). */
    STRUCT_OPS(9),
    /** Link type {@code BPF_LINK_TYPE_NETFILTER} (10). */
    NETFILTER(10),
    /** Link type {@code BPF_LINK_TYPE_TCX} (11). */
    TCX(11),
    /** Link type {@code BPF_LINK_TYPE_UPROBE_MULTI} (12). */
    UPROBE_MULTI(12),
    /** Link type {@code BPF_LINK_TYPE_NETKIT} (13). */
    NETKIT(13),
    /** Link type {@code BPF_LINK_TYPE_SOCKMAP} (14). */
    SOCKMAP(14);

    private static final LinkType[] BY_NUMBER = new LinkType[15];

    static {
        for (LinkType t : values()) {
            BY_NUMBER[t.number] = t;
        }
    }

    private final int number;

    LinkType(int number) {
        this.number = number;
    }

    /** The kernel's number. */
    public int number() {
        return number;
    }

    /** The name libbpf and bpftool use, e.g. {@code tracing}. */
    public String kernelName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant for a kernel number, empty if this build does not know it. */
    public static Optional<LinkType> of(int number) {
        return number >= 0 && number < BY_NUMBER.length ? Optional.ofNullable(BY_NUMBER[number]) : Optional.empty();
    }

    /** The constant for a libbpf/bpftool name such as {@code tracing}. */
    public static Optional<LinkType> named(String name) {
        for (LinkType t : values()) {
            if (t.kernelName().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The name of a kernel number, or the number itself when this build does not know it. */
    public static String nameOf(int number) {
        return of(number).map(LinkType::kernelName).orElse(Integer.toString(number));
    }
}
