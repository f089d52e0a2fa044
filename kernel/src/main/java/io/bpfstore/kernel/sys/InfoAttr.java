package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} member {@code info}, for BPF_OBJ_GET_INFO_BY_FD. */
public final class InfoAttr extends Struct {
    /** The layout of {@code info}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("bpf_fd"), U32.withName("info_len"), U64.withName("info"));
    private static final long BPF_FD = offset(LAYOUT, "bpf_fd");
    private static final long INFO_LEN = offset(LAYOUT, "info_len");
    private static final long INFO = offset(LAYOUT, "info");

    /** Allocates a zeroed attribute in {@code arena}. */
    public InfoAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Asks for the info of {@code fd}, written into {@code info} (whose size is passed as info_len). */
    public InfoAttr of(int fd, Struct info) {
        putU32(BPF_FD, fd);
        putU32(INFO_LEN, (int) info.segment().byteSize());
        putPointer(INFO, info.segment());
        return this;
    }

    /** The {@code info_len} the kernel wrote back: how many bytes it filled. */
    public int infoLen() { return u32(INFO_LEN); }
}
