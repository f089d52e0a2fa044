package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} member {@code link_update}, for BPF_LINK_UPDATE. */
public final class LinkUpdateAttr extends Struct {
    /** The layout of {@code link_update}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("link_fd"),
            MemoryLayout.unionLayout(U32.withName("new_prog_fd"), U32.withName("new_map_fd")),
            U32.withName("flags"),
            MemoryLayout.unionLayout(U32.withName("old_prog_fd"), U32.withName("old_map_fd")));
    private static final long LINK_FD = offset(LAYOUT, "link_fd");
    private static final long NEW_PROG_FD = offset(LAYOUT, "new_prog_fd");
    private static final long FLAGS = offset(LAYOUT, "flags");
    private static final long OLD_PROG_FD = offset(LAYOUT, "old_prog_fd");

    /** Allocates a zeroed attribute in {@code arena}. */
    public LinkUpdateAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Sets {@code link_fd}. */
    public LinkUpdateAttr linkFd(int v) { putU32(LINK_FD, v); return this; }
    /** Sets {@code new_prog_fd}. */
    public LinkUpdateAttr newProgFd(int v) { putU32(NEW_PROG_FD, v); return this; }
    /** Sets {@code flags} (BPF_F_REPLACE makes the kernel check {@code old_prog_fd}). */
    public LinkUpdateAttr flags(int v) { putU32(FLAGS, v); return this; }
    /** Sets {@code old_prog_fd}. */
    public LinkUpdateAttr oldProgFd(int v) { putU32(OLD_PROG_FD, v); return this; }
}
