package io.bpfstore.kernel;

/**
 * Where a link is attached: the per-type part of {@code struct bpf_link_info}. One record per link type;
 * {@link Other} covers link types this build reads no details for.
 */
public sealed interface LinkTarget {

    /** A raw tracepoint link. @param tracepoint the tracepoint name */
    record RawTracepoint(String tracepoint) implements LinkTarget { }

    /**
     * A tracing link (fentry/fexit/fmod_ret/lsm/freplace/iter targets through BTF).
     *
     * @param attachType  the attach type number
     * @param targetObjId id of the target BTF object or program
     * @param targetBtfId BTF type id of the target function
     */
    record Tracing(int attachType, int targetObjId, int targetBtfId) implements LinkTarget { }

    /** A cgroup link. @param cgroupId the cgroup's id (its inode number) @param attachType the attach type number */
    record Cgroup(long cgroupId, int attachType) implements LinkTarget { }

    /** An iterator link. @param targetName the iterator target, e.g. "bpf_map_elem" @param mapId the map for map iterators, else 0 */
    record Iter(String targetName, int mapId) implements LinkTarget { }

    /** A network-namespace link (flow dissector, sk_lookup). @param netnsInode the netns inode @param attachType the attach type number */
    record Netns(int netnsInode, int attachType) implements LinkTarget { }

    /** An XDP link. @param ifindex the interface index (in the link's network namespace) */
    record Xdp(int ifindex) implements LinkTarget { }

    /** A struct_ops link. @param mapId the struct_ops map */
    record StructOps(int mapId) implements LinkTarget { }

    /**
     * A netfilter link.
     *
     * @param protocolFamily NFPROTO_*
     * @param hook           the hook number
     * @param priority       the hook priority
     * @param flags          flags
     */
    record Netfilter(int protocolFamily, int hook, int priority, int flags) implements LinkTarget { }

    /** A kprobe_multi link. @param count number of functions @param flags flags (1: return probe) */
    record KprobeMulti(int count, int flags) implements LinkTarget { }

    /** A uprobe_multi link. @param count number of probes @param flags flags @param pid the pid filter, 0 for all */
    record UprobeMulti(int count, int flags, int pid) implements LinkTarget { }

    /** A perf event link (kprobe, uprobe, tracepoint or perf event). @param perfEventType enum bpf_perf_event_type */
    record PerfEvent(int perfEventType) implements LinkTarget { }

    /** A tcx link. @param ifindex the interface index @param attachType the attach type number (ingress/egress) */
    record Tcx(int ifindex, int attachType) implements LinkTarget { }

    /** A netkit link. @param ifindex the interface index @param attachType the attach type number (primary/peer) */
    record Netkit(int ifindex, int attachType) implements LinkTarget { }

    /** A sockmap link. @param mapId the sockmap/sockhash @param attachType the attach type number */
    record Sockmap(int mapId, int attachType) implements LinkTarget { }

    /** A link type this build reads no details for. @param linkType its number */
    record Other(int linkType) implements LinkTarget { }
}
