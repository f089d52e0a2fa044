package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} for the *_GET_NEXT_ID and *_GET_FD_BY_ID commands. */
public final class GetIdAttr extends Struct {
    /** The layout; {@code start_id} shares its slot with prog_id, map_id, btf_id and link_id. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.unionLayout(U32.withName("start_id"), U32.withName("prog_id"), U32.withName("map_id"),
                    U32.withName("btf_id"), U32.withName("link_id")),
            U32.withName("next_id"), U32.withName("open_flags"), U32.withName("fd_by_id_token_fd"));
    private static final long START_ID = offset(LAYOUT, "start_id");
    private static final long NEXT_ID = offset(LAYOUT, "next_id");
    private static final long OPEN_FLAGS = offset(LAYOUT, "open_flags");

    /** Allocates a zeroed attribute in {@code arena}. */
    public GetIdAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Sets {@code start_id} (GET_NEXT_ID) or the id to open (GET_FD_BY_ID). */
    public GetIdAttr id(int v) { putU32(START_ID, v); return this; }
    /** The {@code next_id} the kernel wrote back. */
    public int nextId() { return u32(NEXT_ID); }
    /** Sets {@code open_flags} (BPF_F_RDONLY / BPF_F_WRONLY for maps). */
    public GetIdAttr openFlags(int v) { putU32(OPEN_FLAGS, v); return this; }
}
