package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} member {@code enable_stats}, for BPF_ENABLE_STATS. */
public final class EnableStatsAttr extends Struct {
    /** The layout of {@code enable_stats}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(U32.withName("type"));
    /** {@code BPF_STATS_RUN_TIME}: count run_cnt and run_time_ns of every program. */
    public static final int BPF_STATS_RUN_TIME = 0;
    private static final long TYPE = offset(LAYOUT, "type");

    /** Allocates a zeroed attribute in {@code arena}. */
    public EnableStatsAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Sets {@code type}. */
    public EnableStatsAttr type(int v) { putU32(TYPE, v); return this; }
}
