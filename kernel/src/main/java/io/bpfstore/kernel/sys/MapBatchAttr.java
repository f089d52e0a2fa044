package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} member {@code batch}, for BPF_MAP_LOOKUP_BATCH and the other batch commands. */
public final class MapBatchAttr extends Struct {
    /** The layout of {@code batch}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U64.withName("in_batch"), U64.withName("out_batch"), U64.withName("keys"), U64.withName("values"),
            U32.withName("count"), U32.withName("map_fd"), U64.withName("elem_flags"), U64.withName("flags"));
    private static final long IN_BATCH = offset(LAYOUT, "in_batch");
    private static final long OUT_BATCH = offset(LAYOUT, "out_batch");
    private static final long KEYS = offset(LAYOUT, "keys");
    private static final long VALUES = offset(LAYOUT, "values");
    private static final long COUNT = offset(LAYOUT, "count");
    private static final long MAP_FD = offset(LAYOUT, "map_fd");
    private static final long ELEM_FLAGS = offset(LAYOUT, "elem_flags");
    private static final long FLAGS = offset(LAYOUT, "flags");

    /** Allocates a zeroed attribute in {@code arena}. */
    public MapBatchAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Points {@code in_batch} at the opaque cursor of the previous call ({@link MemorySegment#NULL} to start). */
    public MapBatchAttr inBatch(MemorySegment v) { putPointer(IN_BATCH, v); return this; }
    /** Points {@code out_batch} at the buffer that receives the cursor for the next call. */
    public MapBatchAttr outBatch(MemorySegment v) { putPointer(OUT_BATCH, v); return this; }
    /** Points {@code keys} at {@code count} keys. */
    public MapBatchAttr keys(MemorySegment v) { putPointer(KEYS, v); return this; }
    /** Points {@code values} at {@code count} values. */
    public MapBatchAttr values(MemorySegment v) { putPointer(VALUES, v); return this; }
    /** Sets {@code count}: capacity in, elements processed out. */
    public MapBatchAttr count(int v) { putU32(COUNT, v); return this; }
    /** The {@code count} the kernel wrote back. */
    public int count() { return u32(COUNT); }
    /** Sets {@code map_fd}. */
    public MapBatchAttr mapFd(int v) { putU32(MAP_FD, v); return this; }
    /** Sets {@code elem_flags}. */
    public MapBatchAttr elemFlags(long v) { putU64(ELEM_FLAGS, v); return this; }
    /** Sets {@code flags}. */
    public MapBatchAttr flags(long v) { putU64(FLAGS, v); return this; }
}
