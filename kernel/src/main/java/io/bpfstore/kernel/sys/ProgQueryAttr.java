package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} member {@code query}, for BPF_PROG_QUERY. */
public final class ProgQueryAttr extends Struct {
    /** The layout of {@code query}, up to {@code revision} (kernel 6.6). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.unionLayout(U32.withName("target_fd"), U32.withName("target_ifindex")),
            U32.withName("attach_type"), U32.withName("query_flags"), U32.withName("attach_flags"),
            U64.withName("prog_ids"),
            MemoryLayout.unionLayout(U32.withName("prog_cnt"), U32.withName("count")), pad(4),
            U64.withName("prog_attach_flags"), U64.withName("link_ids"), U64.withName("link_attach_flags"),
            U64.withName("revision"));
    private static final long TARGET = offset(LAYOUT, "target_fd");
    private static final long ATTACH_TYPE = offset(LAYOUT, "attach_type");
    private static final long QUERY_FLAGS = offset(LAYOUT, "query_flags");
    private static final long ATTACH_FLAGS = offset(LAYOUT, "attach_flags");
    private static final long PROG_IDS = offset(LAYOUT, "prog_ids");
    private static final long PROG_CNT = offset(LAYOUT, "prog_cnt");
    private static final long LINK_IDS = offset(LAYOUT, "link_ids");
    private static final long REVISION = offset(LAYOUT, "revision");

    /** Allocates a zeroed attribute in {@code arena}. */
    public ProgQueryAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Sets {@code target_fd} (cgroup fd) or {@code target_ifindex} (tcx, netkit). */
    public ProgQueryAttr target(int v) { putU32(TARGET, v); return this; }
    /** Sets {@code attach_type}. */
    public ProgQueryAttr attachType(int v) { putU32(ATTACH_TYPE, v); return this; }
    /** Sets {@code query_flags} (BPF_F_QUERY_EFFECTIVE). */
    public ProgQueryAttr queryFlags(int v) { putU32(QUERY_FLAGS, v); return this; }
    /** The {@code attach_flags} the kernel wrote back. */
    public int attachFlags() { return u32(ATTACH_FLAGS); }
    /** Points {@code prog_ids} at a buffer of {@code capacity} ids. */
    public ProgQueryAttr progIds(MemorySegment v, int capacity) { putPointer(PROG_IDS, v); putU32(PROG_CNT, capacity); return this; }
    /** Points {@code link_ids} at a buffer as large as the prog_ids one (tcx, 6.6+). */
    public ProgQueryAttr linkIds(MemorySegment v) { putPointer(LINK_IDS, v); return this; }
    /** The {@code prog_cnt} the kernel wrote back: how many programs are attached. */
    public int progCnt() { return u32(PROG_CNT); }
    /** The {@code revision} the kernel wrote back (tcx, 6.6+). */
    public long revision() { return u64(REVISION); }
}
