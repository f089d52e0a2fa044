package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct bpf_prog_info}, filled by BPF_OBJ_GET_INFO_BY_FD. Array fields (map ids, translated
 * instructions) are only written when user space points them at a buffer and sets the matching count or
 * length; the kernel always reports the true count/length, so callers ask twice when the first buffer was
 * too small.
 */
public final class BpfProgInfo extends Struct {
    /** The layout, up to {@code attach_btf_id} (kernel 6.0). {@code gpl_compatible} is a 1-bit field. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("type"), U32.withName("id"), chars("tag", 8), U32.withName("jited_prog_len"),
            U32.withName("xlated_prog_len"), U64.withName("jited_prog_insns"), U64.withName("xlated_prog_insns"),
            U64.withName("load_time"), U32.withName("created_by_uid"), U32.withName("nr_map_ids"),
            U64.withName("map_ids"), chars("name", 16), U32.withName("ifindex"),
            U32.withName("bits:gpl_compatible"), U64.withName("netns_dev"), U64.withName("netns_ino"),
            U32.withName("nr_jited_ksyms"), U32.withName("nr_jited_func_lens"), U64.withName("jited_ksyms"),
            U64.withName("jited_func_lens"), U32.withName("btf_id"), U32.withName("func_info_rec_size"),
            U64.withName("func_info"), U32.withName("nr_func_info"), U32.withName("nr_line_info"),
            U64.withName("line_info"), U64.withName("jited_line_info"), U32.withName("nr_jited_line_info"),
            U32.withName("line_info_rec_size"), U32.withName("jited_line_info_rec_size"),
            U32.withName("nr_prog_tags"), U64.withName("prog_tags"), U64.withName("run_time_ns"),
            U64.withName("run_cnt"), U64.withName("recursion_misses"), U32.withName("verified_insns"),
            U32.withName("attach_btf_obj_id"), U32.withName("attach_btf_id"), pad(4));
    private static final long TYPE = offset(LAYOUT, "type");
    private static final long ID = offset(LAYOUT, "id");
    private static final long TAG = offset(LAYOUT, "tag");
    private static final long JITED_PROG_LEN = offset(LAYOUT, "jited_prog_len");
    private static final long XLATED_PROG_LEN = offset(LAYOUT, "xlated_prog_len");
    private static final long XLATED_PROG_INSNS = offset(LAYOUT, "xlated_prog_insns");
    private static final long LOAD_TIME = offset(LAYOUT, "load_time");
    private static final long CREATED_BY_UID = offset(LAYOUT, "created_by_uid");
    private static final long NR_MAP_IDS = offset(LAYOUT, "nr_map_ids");
    private static final long MAP_IDS = offset(LAYOUT, "map_ids");
    private static final long NAME = offset(LAYOUT, "name");
    private static final long IFINDEX = offset(LAYOUT, "ifindex");
    private static final long GPL_COMPATIBLE = offset(LAYOUT, "bits:gpl_compatible");
    private static final long BTF_ID = offset(LAYOUT, "btf_id");
    private static final long RUN_TIME_NS = offset(LAYOUT, "run_time_ns");
    private static final long RUN_CNT = offset(LAYOUT, "run_cnt");
    private static final long RECURSION_MISSES = offset(LAYOUT, "recursion_misses");
    private static final long VERIFIED_INSNS = offset(LAYOUT, "verified_insns");
    private static final long ATTACH_BTF_OBJ_ID = offset(LAYOUT, "attach_btf_obj_id");
    private static final long ATTACH_BTF_ID = offset(LAYOUT, "attach_btf_id");

    /** Allocates a zeroed structure in {@code arena}. */
    public BpfProgInfo(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Asks the kernel to write up to {@code capacity} map ids into {@code buffer}. */
    public BpfProgInfo mapIds(MemorySegment buffer, int capacity) { putPointer(MAP_IDS, buffer); putU32(NR_MAP_IDS, capacity); return this; }
    /** Asks the kernel to write the translated instructions into {@code buffer}. */
    public BpfProgInfo xlatedProgInsns(MemorySegment buffer) {
        putPointer(XLATED_PROG_INSNS, buffer); putU32(XLATED_PROG_LEN, (int) buffer.byteSize()); return this;
    }
    /** {@code type}. */
    public int type() { return u32(TYPE); }
    /** {@code id}. */
    public int id() { return u32(ID); }
    /** {@code tag}: the 8-byte SHA-1 prefix of the translated instructions. */
    public byte[] tag() { return bytes(TAG, 8); }
    /** {@code jited_prog_len}. */
    public int jitedProgLen() { return u32(JITED_PROG_LEN); }
    /** {@code xlated_prog_len}. */
    public int xlatedProgLen() { return u32(XLATED_PROG_LEN); }
    /** {@code load_time}: nanoseconds since boot. */
    public long loadTime() { return u64(LOAD_TIME); }
    /** {@code created_by_uid}. */
    public int createdByUid() { return u32(CREATED_BY_UID); }
    /** {@code nr_map_ids}: the true number of maps used. */
    public int nrMapIds() { return u32(NR_MAP_IDS); }
    /** {@code name}. */
    public String name() { return chars(NAME, 16); }
    /** {@code ifindex} (offloaded programs). */
    public int ifindex() { return u32(IFINDEX); }
    /** {@code gpl_compatible}. */
    public boolean gplCompatible() { return (u32(GPL_COMPATIBLE) & 1) != 0; }
    /** {@code btf_id}. */
    public int btfId() { return u32(BTF_ID); }
    /** {@code run_time_ns} (counted only while stats are enabled). */
    public long runTimeNs() { return u64(RUN_TIME_NS); }
    /** {@code run_cnt} (counted only while stats are enabled). */
    public long runCnt() { return u64(RUN_CNT); }
    /** {@code recursion_misses}. */
    public long recursionMisses() { return u64(RECURSION_MISSES); }
    /** {@code verified_insns}. */
    public int verifiedInsns() { return u32(VERIFIED_INSNS); }
    /** {@code attach_btf_obj_id}. */
    public int attachBtfObjId() { return u32(ATTACH_BTF_OBJ_ID); }
    /** {@code attach_btf_id}. */
    public int attachBtfId() { return u32(ATTACH_BTF_ID); }
}
