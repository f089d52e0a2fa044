package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code union bpf_attr} for BPF_MAP_LOOKUP_ELEM, UPDATE_ELEM, DELETE_ELEM, GET_NEXT_KEY,
 * LOOKUP_AND_DELETE_ELEM and MAP_FREEZE (which reads only {@code map_fd}).
 */
public final class MapElemAttr extends Struct {
    /** The layout; {@code value} and {@code next_key} share a slot. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("map_fd"), pad(4), U64.withName("key"),
            MemoryLayout.unionLayout(U64.withName("value"), U64.withName("next_key")),
            U64.withName("flags"));
    private static final long MAP_FD = offset(LAYOUT, "map_fd");
    private static final long KEY = offset(LAYOUT, "key");
    private static final long VALUE = offset(LAYOUT, "value");
    private static final long FLAGS = offset(LAYOUT, "flags");

    /** Allocates a zeroed attribute in {@code arena}. */
    public MapElemAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Sets {@code map_fd}. */
    public MapElemAttr mapFd(int v) { putU32(MAP_FD, v); return this; }
    /** Points {@code key} at a key buffer ({@link MemorySegment#NULL} asks GET_NEXT_KEY for the first key). */
    public MapElemAttr key(MemorySegment v) { putPointer(KEY, v); return this; }
    /** Points {@code value} at a value buffer. */
    public MapElemAttr value(MemorySegment v) { putPointer(VALUE, v); return this; }
    /** Points {@code next_key} at the buffer GET_NEXT_KEY writes into. */
    public MapElemAttr nextKey(MemorySegment v) { putPointer(VALUE, v); return this; }
    /** Sets {@code flags} (BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK). */
    public MapElemAttr flags(long v) { putU64(FLAGS, v); return this; }
}
