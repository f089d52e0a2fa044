package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} for BPF_BTF_LOAD. */
public final class BtfLoadAttr extends Struct {
    /** The layout, up to {@code btf_token_fd} (kernel 6.9). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U64.withName("btf"), U64.withName("btf_log_buf"), U32.withName("btf_size"),
            U32.withName("btf_log_size"), U32.withName("btf_log_level"), U32.withName("btf_log_true_size"),
            U32.withName("btf_flags"), U32.withName("btf_token_fd"));
    private static final long BTF = offset(LAYOUT, "btf");
    private static final long BTF_LOG_BUF = offset(LAYOUT, "btf_log_buf");
    private static final long BTF_SIZE = offset(LAYOUT, "btf_size");
    private static final long BTF_LOG_SIZE = offset(LAYOUT, "btf_log_size");
    private static final long BTF_LOG_LEVEL = offset(LAYOUT, "btf_log_level");
    private static final long BTF_LOG_TRUE_SIZE = offset(LAYOUT, "btf_log_true_size");

    /** Allocates a zeroed attribute in {@code arena}. */
    public BtfLoadAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Points {@code btf} at the raw BTF blob and sets {@code btf_size}. */
    public BtfLoadAttr btf(MemorySegment v) { putPointer(BTF, v); putU32(BTF_SIZE, (int) v.byteSize()); return this; }
    /** Sets the log level and buffer. */
    public BtfLoadAttr log(int level, MemorySegment buffer) {
        putU32(BTF_LOG_LEVEL, level);
        putPointer(BTF_LOG_BUF, buffer);
        putU32(BTF_LOG_SIZE, (int) buffer.byteSize());
        return this;
    }
    /** The {@code btf_log_true_size} the kernel wrote back (6.4+). */
    public int logTrueSize() { return u32(BTF_LOG_TRUE_SIZE); }
}
