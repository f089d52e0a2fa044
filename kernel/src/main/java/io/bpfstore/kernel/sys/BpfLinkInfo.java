package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct bpf_link_info}, filled by BPF_OBJ_GET_INFO_BY_FD. After {@code prog_id} comes a union
 * whose meaning depends on {@code type} (enum bpf_link_type); read only the accessors of that type.
 */
public final class BpfLinkInfo extends Struct {
    private static final MemoryLayout TWO_U32 = MemoryLayout.structLayout(U32.withName("ifindex"), U32.withName("attach_type"));

    /** The layout, with the per-type union (64 bytes on 6.18). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("type"), U32.withName("id"), U32.withName("prog_id"), pad(4),
            MemoryLayout.unionLayout(
                    MemoryLayout.structLayout(U64.withName("tp_name"), U32.withName("tp_name_len"), pad(4),
                            U64.withName("cookie")).withName("raw_tracepoint"),
                    MemoryLayout.structLayout(U32.withName("attach_type"), U32.withName("target_obj_id"),
                            U32.withName("target_btf_id"), pad(4), U64.withName("cookie")).withName("tracing"),
                    MemoryLayout.structLayout(U64.withName("cgroup_id"), U32.withName("attach_type"), pad(4))
                            .withName("cgroup"),
                    MemoryLayout.structLayout(U64.withName("target_name"), U32.withName("target_name_len"),
                            MemoryLayout.structLayout(U32.withName("map_id")).withName("map")).withName("iter"),
                    MemoryLayout.structLayout(U32.withName("netns_ino"), U32.withName("attach_type")).withName("netns"),
                    MemoryLayout.structLayout(U32.withName("ifindex")).withName("xdp"),
                    MemoryLayout.structLayout(U32.withName("map_id")).withName("struct_ops"),
                    MemoryLayout.structLayout(U32.withName("pf"), U32.withName("hooknum"), U32.withName("priority"),
                            U32.withName("flags")).withName("netfilter"),
                    MemoryLayout.structLayout(U64.withName("addrs"), U32.withName("count"), U32.withName("flags"),
                            U64.withName("missed"), U64.withName("cookies")).withName("kprobe_multi"),
                    MemoryLayout.structLayout(U64.withName("path"), U64.withName("offsets"),
                            U64.withName("ref_ctr_offsets"), U64.withName("cookies"), U32.withName("path_size"),
                            U32.withName("count"), U32.withName("flags"), U32.withName("pid")).withName("uprobe_multi"),
                    MemoryLayout.structLayout(U32.withName("type")).withName("perf_event"),
                    TWO_U32.withName("tcx"),
                    TWO_U32.withName("netkit"),
                    MemoryLayout.structLayout(U32.withName("map_id"), U32.withName("attach_type")).withName("sockmap")));

    private static final long TYPE = offset(LAYOUT, "type");
    private static final long ID = offset(LAYOUT, "id");
    private static final long PROG_ID = offset(LAYOUT, "prog_id");
    private static final long RAW_TP_NAME = offset(LAYOUT, "raw_tracepoint", "tp_name");
    private static final long RAW_TP_NAME_LEN = offset(LAYOUT, "raw_tracepoint", "tp_name_len");
    private static final long TRACING_ATTACH_TYPE = offset(LAYOUT, "tracing", "attach_type");
    private static final long TRACING_TARGET_OBJ_ID = offset(LAYOUT, "tracing", "target_obj_id");
    private static final long TRACING_TARGET_BTF_ID = offset(LAYOUT, "tracing", "target_btf_id");
    private static final long CGROUP_ID = offset(LAYOUT, "cgroup", "cgroup_id");
    private static final long CGROUP_ATTACH_TYPE = offset(LAYOUT, "cgroup", "attach_type");
    private static final long ITER_TARGET_NAME = offset(LAYOUT, "iter", "target_name");
    private static final long ITER_TARGET_NAME_LEN = offset(LAYOUT, "iter", "target_name_len");
    private static final long ITER_MAP_ID = offset(LAYOUT, "iter", "map", "map_id");
    private static final long NETNS_INO = offset(LAYOUT, "netns", "netns_ino");
    private static final long NETNS_ATTACH_TYPE = offset(LAYOUT, "netns", "attach_type");
    private static final long XDP_IFINDEX = offset(LAYOUT, "xdp", "ifindex");
    private static final long STRUCT_OPS_MAP_ID = offset(LAYOUT, "struct_ops", "map_id");
    private static final long NETFILTER_PF = offset(LAYOUT, "netfilter", "pf");
    private static final long NETFILTER_HOOKNUM = offset(LAYOUT, "netfilter", "hooknum");
    private static final long NETFILTER_PRIORITY = offset(LAYOUT, "netfilter", "priority");
    private static final long NETFILTER_FLAGS = offset(LAYOUT, "netfilter", "flags");
    private static final long KPROBE_MULTI_COUNT = offset(LAYOUT, "kprobe_multi", "count");
    private static final long KPROBE_MULTI_FLAGS = offset(LAYOUT, "kprobe_multi", "flags");
    private static final long UPROBE_MULTI_COUNT = offset(LAYOUT, "uprobe_multi", "count");
    private static final long UPROBE_MULTI_FLAGS = offset(LAYOUT, "uprobe_multi", "flags");
    private static final long UPROBE_MULTI_PID = offset(LAYOUT, "uprobe_multi", "pid");
    private static final long PERF_EVENT_TYPE = offset(LAYOUT, "perf_event", "type");
    private static final long TCX_IFINDEX = offset(LAYOUT, "tcx", "ifindex");
    private static final long TCX_ATTACH_TYPE = offset(LAYOUT, "tcx", "attach_type");
    private static final long NETKIT_IFINDEX = offset(LAYOUT, "netkit", "ifindex");
    private static final long NETKIT_ATTACH_TYPE = offset(LAYOUT, "netkit", "attach_type");
    private static final long SOCKMAP_MAP_ID = offset(LAYOUT, "sockmap", "map_id");
    private static final long SOCKMAP_ATTACH_TYPE = offset(LAYOUT, "sockmap", "attach_type");

    /** Allocates a zeroed structure in {@code arena}. */
    public BpfLinkInfo(Arena arena) {
        super(arena, LAYOUT);
    }

    /** For raw tracepoint links: asks the kernel to write the tracepoint name into {@code buffer}. */
    public BpfLinkInfo rawTracepointName(MemorySegment buffer) {
        putPointer(RAW_TP_NAME, buffer); putU32(RAW_TP_NAME_LEN, (int) buffer.byteSize()); return this;
    }
    /** For iterator links: asks the kernel to write the target name into {@code buffer}. */
    public BpfLinkInfo iterTargetName(MemorySegment buffer) {
        putPointer(ITER_TARGET_NAME, buffer); putU32(ITER_TARGET_NAME_LEN, (int) buffer.byteSize()); return this;
    }
    /** {@code type} (enum bpf_link_type). */
    public int type() { return u32(TYPE); }
    /** {@code id}. */
    public int id() { return u32(ID); }
    /** {@code prog_id}. */
    public int progId() { return u32(PROG_ID); }
    /** {@code tracing.attach_type}. */
    public int tracingAttachType() { return u32(TRACING_ATTACH_TYPE); }
    /** {@code tracing.target_obj_id}. */
    public int tracingTargetObjId() { return u32(TRACING_TARGET_OBJ_ID); }
    /** {@code tracing.target_btf_id}. */
    public int tracingTargetBtfId() { return u32(TRACING_TARGET_BTF_ID); }
    /** {@code cgroup.cgroup_id}. */
    public long cgroupId() { return u64(CGROUP_ID); }
    /** {@code cgroup.attach_type}. */
    public int cgroupAttachType() { return u32(CGROUP_ATTACH_TYPE); }
    /** {@code iter.map.map_id}. */
    public int iterMapId() { return u32(ITER_MAP_ID); }
    /** {@code netns.netns_ino}. */
    public int netnsIno() { return u32(NETNS_INO); }
    /** {@code netns.attach_type}. */
    public int netnsAttachType() { return u32(NETNS_ATTACH_TYPE); }
    /** {@code xdp.ifindex}. */
    public int xdpIfindex() { return u32(XDP_IFINDEX); }
    /** {@code struct_ops.map_id}. */
    public int structOpsMapId() { return u32(STRUCT_OPS_MAP_ID); }
    /** {@code netfilter.pf}. */
    public int netfilterPf() { return u32(NETFILTER_PF); }
    /** {@code netfilter.hooknum}. */
    public int netfilterHooknum() { return u32(NETFILTER_HOOKNUM); }
    /** {@code netfilter.priority}. */
    public int netfilterPriority() { return u32(NETFILTER_PRIORITY); }
    /** {@code netfilter.flags}. */
    public int netfilterFlags() { return u32(NETFILTER_FLAGS); }
    /** {@code kprobe_multi.count}. */
    public int kprobeMultiCount() { return u32(KPROBE_MULTI_COUNT); }
    /** {@code kprobe_multi.flags}. */
    public int kprobeMultiFlags() { return u32(KPROBE_MULTI_FLAGS); }
    /** {@code uprobe_multi.count}. */
    public int uprobeMultiCount() { return u32(UPROBE_MULTI_COUNT); }
    /** {@code uprobe_multi.flags}. */
    public int uprobeMultiFlags() { return u32(UPROBE_MULTI_FLAGS); }
    /** {@code uprobe_multi.pid}. */
    public int uprobeMultiPid() { return u32(UPROBE_MULTI_PID); }
    /** {@code perf_event.type} (enum bpf_perf_event_type). */
    public int perfEventType() { return u32(PERF_EVENT_TYPE); }
    /** {@code tcx.ifindex}. */
    public int tcxIfindex() { return u32(TCX_IFINDEX); }
    /** {@code tcx.attach_type}. */
    public int tcxAttachType() { return u32(TCX_ATTACH_TYPE); }
    /** {@code netkit.ifindex}. */
    public int netkitIfindex() { return u32(NETKIT_IFINDEX); }
    /** {@code netkit.attach_type}. */
    public int netkitAttachType() { return u32(NETKIT_ATTACH_TYPE); }
    /** {@code sockmap.map_id}. */
    public int sockmapMapId() { return u32(SOCKMAP_MAP_ID); }
    /** {@code sockmap.attach_type}. */
    public int sockmapAttachType() { return u32(SOCKMAP_ATTACH_TYPE); }
}
