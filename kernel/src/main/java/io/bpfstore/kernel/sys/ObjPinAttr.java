package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} for BPF_OBJ_PIN and BPF_OBJ_GET. */
public final class ObjPinAttr extends Struct {
    /** The layout, up to {@code path_fd} (kernel 6.5). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U64.withName("pathname"), U32.withName("bpf_fd"), U32.withName("file_flags"),
            U32.withName("path_fd"), pad(4));
    private static final long PATHNAME = offset(LAYOUT, "pathname");
    private static final long BPF_FD = offset(LAYOUT, "bpf_fd");
    private static final long FILE_FLAGS = offset(LAYOUT, "file_flags");

    /** Allocates a zeroed attribute in {@code arena}. */
    public ObjPinAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Points {@code pathname} at a NUL-terminated path. */
    public ObjPinAttr pathname(MemorySegment v) { putPointer(PATHNAME, v); return this; }
    /** Sets {@code bpf_fd} (OBJ_PIN: the object to pin). */
    public ObjPinAttr bpfFd(int v) { putU32(BPF_FD, v); return this; }
    /** Sets {@code file_flags} (OBJ_GET: BPF_F_RDONLY / BPF_F_WRONLY). */
    public ObjPinAttr fileFlags(int v) { putU32(FILE_FLAGS, v); return this; }
}
