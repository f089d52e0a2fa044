package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct perf_event_attr} (include/uapi/linux/perf_event.h) up to {@code sample_max_stack}
 * (PERF_ATTR_SIZE_VER5, 112 bytes, kernel 4.8), which every kernel with BPF perf links accepts. The 64 bits
 * of one-bit flags (disabled, inherit ... freq ...) are one field here, named "bits:flags" as the layout test
 * skips bit-fields. Perf links (kprobes, tracepoints, perf_event programs) and perf event array readers fill it.
 */
public final class PerfEventAttr extends Struct {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("type"), U32.withName("size"), U64.withName("config"), U64.withName("sample_period"),
            U64.withName("sample_type"), U64.withName("read_format"), U64.withName("bits:flags"),
            U32.withName("wakeup_events"), U32.withName("bp_type"), U64.withName("config1"), U64.withName("config2"),
            U64.withName("branch_sample_type"), U64.withName("sample_regs_user"), U32.withName("sample_stack_user"),
            U32.withName("clockid"), U64.withName("sample_regs_intr"), U32.withName("aux_watermark"),
            ValueLayout.JAVA_SHORT.withName("sample_max_stack"), ValueLayout.JAVA_SHORT.withName("__reserved_2"));
    /** {@code PERF_TYPE_HARDWARE}. */
    public static final int TYPE_HARDWARE = 0;
    /** {@code PERF_TYPE_SOFTWARE}. */
    public static final int TYPE_SOFTWARE = 1;
    /** {@code PERF_COUNT_SW_BPF_OUTPUT}: the software event {@code bpf_perf_event_output} writes samples to. */
    public static final long COUNT_SW_BPF_OUTPUT = 10;
    /** {@code PERF_SAMPLE_RAW}: samples carry the raw bytes the producer gave. */
    public static final long SAMPLE_RAW = 1L << 10;
    /** The {@code freq} bit of the flags bitfield: sample_period is a frequency in Hz. */
    public static final long FLAG_FREQ = 1L << 10;
    private static final long TYPE = offset(LAYOUT, "type");
    private static final long SIZE = offset(LAYOUT, "size");
    private static final long CONFIG = offset(LAYOUT, "config");
    private static final long SAMPLE_PERIOD = offset(LAYOUT, "sample_period");
    private static final long SAMPLE_TYPE = offset(LAYOUT, "sample_type");
    private static final long FLAGS = offset(LAYOUT, "bits:flags");
    private static final long WAKEUP_EVENTS = offset(LAYOUT, "wakeup_events");
    private static final long CONFIG1 = offset(LAYOUT, "config1");
    private static final long CONFIG2 = offset(LAYOUT, "config2");

    /** An all-zero attribute in {@code arena} with its {@code size} set. */
    public PerfEventAttr(Arena arena) {
        super(arena, LAYOUT);
        putU32(SIZE, (int) LAYOUT.byteSize());
    }

    /** {@code type}: the PMU (software, tracepoint, a kprobe PMU's number ...). */
    public PerfEventAttr type(int v) { putU32(TYPE, v); return this; }
    /** {@code config}: the event within the PMU. */
    public PerfEventAttr config(long v) { putU64(CONFIG, v); return this; }
    /** {@code sample_period} (or the frequency with {@link #FLAG_FREQ}). */
    public PerfEventAttr samplePeriod(long v) { putU64(SAMPLE_PERIOD, v); return this; }
    /** {@code sample_type}: what each sample record carries ({@link #SAMPLE_RAW} ...). */
    public PerfEventAttr sampleType(long v) { putU64(SAMPLE_TYPE, v); return this; }
    /** The one-bit flags word. */
    public PerfEventAttr flags(long v) { putU64(FLAGS, v); return this; }
    /** {@code wakeup_events}: wake a poller after this many samples. */
    public PerfEventAttr wakeupEvents(int v) { putU32(WAKEUP_EVENTS, v); return this; }
    /** {@code config1}: for kprobe/uprobe PMUs a pointer to the function name or path. */
    public PerfEventAttr config1(MemorySegment v) { putPointer(CONFIG1, v); return this; }
    /** {@code config2}: for kprobe/uprobe PMUs the offset. */
    public PerfEventAttr config2(long v) { putU64(CONFIG2, v); return this; }
}
