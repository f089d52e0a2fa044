package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code union bpf_attr} for BPF_PROG_LOAD. The BTF fields ({@code prog_btf_fd}, {@code func_info},
 * {@code line_info}, CO-RE relocations, {@code fd_array}) are present for the object loader.
 */
public final class ProgLoadAttr extends Struct {
    /** {@code prog_flags} bit {@code BPF_F_SLEEPABLE}: the program may sleep (sleepable LSM, tracing, syscall). */
    public static final int BPF_F_SLEEPABLE = 1 << 4;
    /** {@code prog_flags} bit {@code BPF_F_XDP_HAS_FRAGS}: the XDP program handles multi-buffer frames. */
    public static final int BPF_F_XDP_HAS_FRAGS = 1 << 5;
    /** The layout, up to {@code fd_array_cnt} (kernel 6.14). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("prog_type"), U32.withName("insn_cnt"), U64.withName("insns"), U64.withName("license"),
            U32.withName("log_level"), U32.withName("log_size"), U64.withName("log_buf"),
            U32.withName("kern_version"), U32.withName("prog_flags"), chars("prog_name", 16),
            U32.withName("prog_ifindex"), U32.withName("expected_attach_type"), U32.withName("prog_btf_fd"),
            U32.withName("func_info_rec_size"), U64.withName("func_info"), U32.withName("func_info_cnt"),
            U32.withName("line_info_rec_size"), U64.withName("line_info"), U32.withName("line_info_cnt"),
            U32.withName("attach_btf_id"),
            MemoryLayout.unionLayout(U32.withName("attach_prog_fd"), U32.withName("attach_btf_obj_fd")),
            U32.withName("core_relo_cnt"), U64.withName("fd_array"), U64.withName("core_relos"),
            U32.withName("core_relo_rec_size"), U32.withName("log_true_size"), U32.withName("prog_token_fd"),
            U32.withName("fd_array_cnt"));
    private static final long PROG_TYPE = offset(LAYOUT, "prog_type");
    private static final long INSN_CNT = offset(LAYOUT, "insn_cnt");
    private static final long INSNS = offset(LAYOUT, "insns");
    private static final long LICENSE = offset(LAYOUT, "license");
    private static final long LOG_LEVEL = offset(LAYOUT, "log_level");
    private static final long LOG_SIZE = offset(LAYOUT, "log_size");
    private static final long LOG_BUF = offset(LAYOUT, "log_buf");
    private static final long KERN_VERSION = offset(LAYOUT, "kern_version");
    private static final long PROG_FLAGS = offset(LAYOUT, "prog_flags");
    private static final long PROG_NAME = offset(LAYOUT, "prog_name");
    private static final long PROG_IFINDEX = offset(LAYOUT, "prog_ifindex");
    private static final long EXPECTED_ATTACH_TYPE = offset(LAYOUT, "expected_attach_type");
    private static final long PROG_BTF_FD = offset(LAYOUT, "prog_btf_fd");
    private static final long FUNC_INFO_REC_SIZE = offset(LAYOUT, "func_info_rec_size");
    private static final long FUNC_INFO = offset(LAYOUT, "func_info");
    private static final long FUNC_INFO_CNT = offset(LAYOUT, "func_info_cnt");
    private static final long LINE_INFO_REC_SIZE = offset(LAYOUT, "line_info_rec_size");
    private static final long LINE_INFO = offset(LAYOUT, "line_info");
    private static final long LINE_INFO_CNT = offset(LAYOUT, "line_info_cnt");
    private static final long ATTACH_BTF_ID = offset(LAYOUT, "attach_btf_id");
    private static final long ATTACH_PROG_FD = offset(LAYOUT, "attach_prog_fd");
    private static final long FD_ARRAY = offset(LAYOUT, "fd_array");
    private static final long LOG_TRUE_SIZE = offset(LAYOUT, "log_true_size");

    /** Allocates a zeroed attribute in {@code arena}. */
    public ProgLoadAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Sets {@code prog_type}. */
    public ProgLoadAttr progType(int v) { putU32(PROG_TYPE, v); return this; }
    /** Points {@code insns} at {@code count} 8-byte instructions. */
    public ProgLoadAttr insns(MemorySegment v, int count) { putPointer(INSNS, v); putU32(INSN_CNT, count); return this; }
    /** Points {@code license} at a NUL-terminated license string. */
    public ProgLoadAttr license(MemorySegment v) { putPointer(LICENSE, v); return this; }
    /** Sets {@code log_level} and the log buffer; level 0 with {@link MemorySegment#NULL} means no log. */
    public ProgLoadAttr log(int level, MemorySegment buffer) {
        putU32(LOG_LEVEL, level);
        putPointer(LOG_BUF, buffer);
        putU32(LOG_SIZE, (int) buffer.byteSize());
        return this;
    }
    /** The {@code log_true_size} the kernel wrote back (6.4+; 0 on older kernels): the log size it needed. */
    public int logTrueSize() { return u32(LOG_TRUE_SIZE); }
    /** Sets {@code kern_version} (checked for kprobes by kernels before 5.0). */
    public ProgLoadAttr kernVersion(int v) { putU32(KERN_VERSION, v); return this; }
    /** Sets {@code prog_flags} (BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS, ...). */
    public ProgLoadAttr progFlags(int v) { putU32(PROG_FLAGS, v); return this; }
    /** Sets {@code prog_name} (at most 15 bytes). */
    public ProgLoadAttr progName(String v) { putChars(PROG_NAME, 16, v); return this; }
    /** Sets {@code prog_ifindex} (device offload). */
    public ProgLoadAttr progIfindex(int v) { putU32(PROG_IFINDEX, v); return this; }
    /** Sets {@code expected_attach_type}. */
    public ProgLoadAttr expectedAttachType(int v) { putU32(EXPECTED_ATTACH_TYPE, v); return this; }
    /** Sets {@code prog_btf_fd}. */
    public ProgLoadAttr progBtfFd(int v) { putU32(PROG_BTF_FD, v); return this; }
    /** Points {@code func_info} at {@code count} records of {@code recordSize} bytes. */
    public ProgLoadAttr funcInfo(MemorySegment v, int recordSize, int count) {
        putPointer(FUNC_INFO, v); putU32(FUNC_INFO_REC_SIZE, recordSize); putU32(FUNC_INFO_CNT, count); return this;
    }
    /** Points {@code line_info} at {@code count} records of {@code recordSize} bytes. */
    public ProgLoadAttr lineInfo(MemorySegment v, int recordSize, int count) {
        putPointer(LINE_INFO, v); putU32(LINE_INFO_REC_SIZE, recordSize); putU32(LINE_INFO_CNT, count); return this;
    }
    /** Sets {@code attach_btf_id} (fentry/fexit/lsm/struct_ops targets). */
    public ProgLoadAttr attachBtfId(int v) { putU32(ATTACH_BTF_ID, v); return this; }
    /** Sets {@code attach_prog_fd} (freplace target). */
    public ProgLoadAttr attachProgFd(int v) { putU32(ATTACH_PROG_FD, v); return this; }
    /** Points {@code fd_array} at the map/BTF fds referenced by index from the instructions. */
    public ProgLoadAttr fdArray(MemorySegment v) { putPointer(FD_ARRAY, v); return this; }
}
