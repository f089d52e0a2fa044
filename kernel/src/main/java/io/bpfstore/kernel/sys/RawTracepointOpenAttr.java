package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} member {@code raw_tracepoint}, for BPF_RAW_TRACEPOINT_OPEN. */
public final class RawTracepointOpenAttr extends Struct {
    /** The layout, up to {@code cookie} (kernel 6.10). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U64.withName("name"), U32.withName("prog_fd"), pad(4), U64.withName("cookie"));
    private static final long NAME = offset(LAYOUT, "name");
    private static final long PROG_FD = offset(LAYOUT, "prog_fd");

    /** Allocates a zeroed attribute in {@code arena}. */
    public RawTracepointOpenAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Points {@code name} at the NUL-terminated tracepoint name (e.g. {@code sched_switch}). */
    public RawTracepointOpenAttr name(MemorySegment v) { putPointer(NAME, v); return this; }
    /** Sets {@code prog_fd}. */
    public RawTracepointOpenAttr progFd(int v) { putU32(PROG_FD, v); return this; }
}
