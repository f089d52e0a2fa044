package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} member {@code test}, for BPF_PROG_TEST_RUN. */
public final class TestRunAttr extends Struct {
    /** The layout of {@code test}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("prog_fd"), U32.withName("retval"), U32.withName("data_size_in"),
            U32.withName("data_size_out"), U64.withName("data_in"), U64.withName("data_out"),
            U32.withName("repeat"), U32.withName("duration"), U32.withName("ctx_size_in"),
            U32.withName("ctx_size_out"), U64.withName("ctx_in"), U64.withName("ctx_out"),
            U32.withName("flags"), U32.withName("cpu"), U32.withName("batch_size"), pad(4));
    private static final long PROG_FD = offset(LAYOUT, "prog_fd");
    private static final long RETVAL = offset(LAYOUT, "retval");
    private static final long DATA_SIZE_IN = offset(LAYOUT, "data_size_in");
    private static final long DATA_SIZE_OUT = offset(LAYOUT, "data_size_out");
    private static final long DATA_IN = offset(LAYOUT, "data_in");
    private static final long DATA_OUT = offset(LAYOUT, "data_out");
    private static final long REPEAT = offset(LAYOUT, "repeat");
    private static final long DURATION = offset(LAYOUT, "duration");
    private static final long CTX_SIZE_IN = offset(LAYOUT, "ctx_size_in");
    private static final long CTX_SIZE_OUT = offset(LAYOUT, "ctx_size_out");
    private static final long CTX_IN = offset(LAYOUT, "ctx_in");
    private static final long CTX_OUT = offset(LAYOUT, "ctx_out");
    private static final long FLAGS = offset(LAYOUT, "flags");
    private static final long CPU = offset(LAYOUT, "cpu");

    /** Allocates a zeroed attribute in {@code arena}. */
    public TestRunAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Sets {@code prog_fd}. */
    public TestRunAttr progFd(int v) { putU32(PROG_FD, v); return this; }
    /** Points {@code data_in} at the input packet and sets {@code data_size_in}. */
    public TestRunAttr dataIn(MemorySegment v) { putPointer(DATA_IN, v); putU32(DATA_SIZE_IN, (int) v.byteSize()); return this; }
    /** Points {@code data_out} at the output buffer and sets {@code data_size_out} to its capacity. */
    public TestRunAttr dataOut(MemorySegment v) { putPointer(DATA_OUT, v); putU32(DATA_SIZE_OUT, (int) v.byteSize()); return this; }
    /** Points {@code ctx_in} at the input context and sets {@code ctx_size_in}. */
    public TestRunAttr ctxIn(MemorySegment v) { putPointer(CTX_IN, v); putU32(CTX_SIZE_IN, (int) v.byteSize()); return this; }
    /** Points {@code ctx_out} at the output context buffer and sets {@code ctx_size_out} to its capacity. */
    public TestRunAttr ctxOut(MemorySegment v) { putPointer(CTX_OUT, v); putU32(CTX_SIZE_OUT, (int) v.byteSize()); return this; }
    /** Sets {@code repeat}. */
    public TestRunAttr repeat(int v) { putU32(REPEAT, v); return this; }
    /** Sets {@code flags}. */
    public TestRunAttr flags(int v) { putU32(FLAGS, v); return this; }
    /** Sets {@code cpu} (with BPF_F_TEST_RUN_ON_CPU). */
    public TestRunAttr cpu(int v) { putU32(CPU, v); return this; }
    /** The program's return value. */
    public int retval() { return u32(RETVAL); }
    /** The average run time in nanoseconds. */
    public int duration() { return u32(DURATION); }
    /** How many bytes of output data the kernel produced (may exceed the buffer: then ENOSPC). */
    public int dataSizeOut() { return u32(DATA_SIZE_OUT); }
    /** How many bytes of output context the kernel produced. */
    public int ctxSizeOut() { return u32(CTX_SIZE_OUT); }
}
