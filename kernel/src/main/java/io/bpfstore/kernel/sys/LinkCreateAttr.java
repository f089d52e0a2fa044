package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} member {@code link_create}, for BPF_LINK_CREATE, with its per-hook union. */
public final class LinkCreateAttr extends Struct {
    private static final MemoryLayout RELATIVE = MemoryLayout.unionLayout(
            U32.withName("relative_fd"), U32.withName("relative_id"));

    /** The layout of {@code link_create}; the union after {@code flags} holds the per-hook options. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.unionLayout(U32.withName("prog_fd"), U32.withName("map_fd")),
            MemoryLayout.unionLayout(U32.withName("target_fd"), U32.withName("target_ifindex")),
            U32.withName("attach_type"), U32.withName("flags"),
            MemoryLayout.unionLayout(
                    U32.withName("target_btf_id"),
                    MemoryLayout.structLayout(U64.withName("iter_info"), U32.withName("iter_info_len"), pad(4)),
                    MemoryLayout.structLayout(U64.withName("bpf_cookie")).withName("perf_event"),
                    MemoryLayout.structLayout(U32.withName("flags"), U32.withName("cnt"), U64.withName("syms"),
                            U64.withName("addrs"), U64.withName("cookies")).withName("kprobe_multi"),
                    MemoryLayout.structLayout(U32.withName("target_btf_id"), pad(4), U64.withName("cookie"))
                            .withName("tracing"),
                    MemoryLayout.structLayout(U32.withName("pf"), U32.withName("hooknum"), U32.withName("priority"),
                            U32.withName("flags")).withName("netfilter"),
                    MemoryLayout.structLayout(RELATIVE, pad(4), U64.withName("expected_revision")).withName("tcx"),
                    MemoryLayout.structLayout(U64.withName("path"), U64.withName("offsets"),
                            U64.withName("ref_ctr_offsets"), U64.withName("cookies"), U32.withName("cnt"),
                            U32.withName("flags"), U32.withName("pid"), pad(4)).withName("uprobe_multi"),
                    MemoryLayout.structLayout(RELATIVE, pad(4), U64.withName("expected_revision")).withName("netkit"),
                    MemoryLayout.structLayout(RELATIVE, pad(4), U64.withName("expected_revision")).withName("cgroup")));
    private static final long PROG_FD = offset(LAYOUT, "prog_fd");
    private static final long TARGET = offset(LAYOUT, "target_fd");
    private static final long ATTACH_TYPE = offset(LAYOUT, "attach_type");
    private static final long FLAGS = offset(LAYOUT, "flags");
    private static final long TARGET_BTF_ID = offset(LAYOUT, "target_btf_id");
    private static final long PERF_EVENT_COOKIE = offset(LAYOUT, "perf_event", "bpf_cookie");
    private static final long TCX_RELATIVE = offset(LAYOUT, "tcx", "relative_fd");
    private static final long TCX_EXPECTED_REVISION = offset(LAYOUT, "tcx", "expected_revision");

    /** Allocates a zeroed attribute in {@code arena}. */
    public LinkCreateAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Sets {@code prog_fd} (or {@code map_fd} for struct_ops links). */
    public LinkCreateAttr progFd(int v) { putU32(PROG_FD, v); return this; }
    /** Sets {@code target_fd} (cgroup, perf event, netns ...) or {@code target_ifindex} (xdp, tcx, netkit). */
    public LinkCreateAttr target(int v) { putU32(TARGET, v); return this; }
    /** Sets {@code attach_type}. */
    public LinkCreateAttr attachType(int v) { putU32(ATTACH_TYPE, v); return this; }
    /** Sets {@code flags}. */
    public LinkCreateAttr flags(int v) { putU32(FLAGS, v); return this; }
    /** Sets {@code target_btf_id} (freplace/fentry targets). */
    public LinkCreateAttr targetBtfId(int v) { putU32(TARGET_BTF_ID, v); return this; }
    /** Sets {@code perf_event.bpf_cookie}. */
    public LinkCreateAttr perfEventCookie(long v) { putU64(PERF_EVENT_COOKIE, v); return this; }
    /** Sets {@code tcx.relative_fd}/{@code relative_id} (the anchor; flags say which). */
    public LinkCreateAttr tcxRelative(int v) { putU32(TCX_RELATIVE, v); return this; }
    /** Sets {@code tcx.expected_revision} (0: do not check). */
    public LinkCreateAttr tcxExpectedRevision(long v) { putU64(TCX_EXPECTED_REVISION, v); return this; }
}
