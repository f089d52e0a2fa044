package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} for BPF_PROG_ATTACH and BPF_PROG_DETACH (cgroups, sockmaps, flow dissector ...). */
public final class ProgAttachAttr extends Struct {
    /** The layout, up to {@code expected_revision} (kernel 6.6). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.unionLayout(U32.withName("target_fd"), U32.withName("target_ifindex")),
            U32.withName("attach_bpf_fd"), U32.withName("attach_type"), U32.withName("attach_flags"),
            U32.withName("replace_bpf_fd"),
            MemoryLayout.unionLayout(U32.withName("relative_fd"), U32.withName("relative_id")),
            U64.withName("expected_revision"));
    private static final long TARGET = offset(LAYOUT, "target_fd");
    private static final long ATTACH_BPF_FD = offset(LAYOUT, "attach_bpf_fd");
    private static final long ATTACH_TYPE = offset(LAYOUT, "attach_type");
    private static final long ATTACH_FLAGS = offset(LAYOUT, "attach_flags");
    private static final long REPLACE_BPF_FD = offset(LAYOUT, "replace_bpf_fd");

    /** Allocates a zeroed attribute in {@code arena}. */
    public ProgAttachAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Sets {@code target_fd} (a cgroup directory, a sockmap ...). */
    public ProgAttachAttr target(int v) { putU32(TARGET, v); return this; }
    /** Sets {@code attach_bpf_fd}: the program to attach or detach. */
    public ProgAttachAttr attachBpfFd(int v) { putU32(ATTACH_BPF_FD, v); return this; }
    /** Sets {@code attach_type}. */
    public ProgAttachAttr attachType(int v) { putU32(ATTACH_TYPE, v); return this; }
    /** Sets {@code attach_flags} (BPF_F_ALLOW_OVERRIDE, BPF_F_ALLOW_MULTI, BPF_F_REPLACE). */
    public ProgAttachAttr attachFlags(int v) { putU32(ATTACH_FLAGS, v); return this; }
    /** Sets {@code replace_bpf_fd}: with BPF_F_REPLACE, the program to replace. */
    public ProgAttachAttr replaceBpfFd(int v) { putU32(REPLACE_BPF_FD, v); return this; }
}
