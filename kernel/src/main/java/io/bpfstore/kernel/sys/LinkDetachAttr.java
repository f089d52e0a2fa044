package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} member {@code link_detach}, for BPF_LINK_DETACH. */
public final class LinkDetachAttr extends Struct {
    /** The layout of {@code link_detach}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(U32.withName("link_fd"));
    private static final long LINK_FD = offset(LAYOUT, "link_fd");

    /** Allocates a zeroed attribute in {@code arena}. */
    public LinkDetachAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Sets {@code link_fd}. */
    public LinkDetachAttr linkFd(int v) { putU32(LINK_FD, v); return this; }
}
