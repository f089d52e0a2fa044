package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code struct bpf_btf_info}, filled by BPF_OBJ_GET_INFO_BY_FD. */
public final class BpfBtfInfo extends Struct {
    /** The layout, up to {@code kernel_btf} (kernel 5.11). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U64.withName("btf"), U32.withName("btf_size"), U32.withName("id"), U64.withName("name"),
            U32.withName("name_len"), U32.withName("kernel_btf"));
    private static final long BTF_SIZE = offset(LAYOUT, "btf_size");
    private static final long ID = offset(LAYOUT, "id");
    private static final long NAME = offset(LAYOUT, "name");
    private static final long NAME_LEN = offset(LAYOUT, "name_len");
    private static final long KERNEL_BTF = offset(LAYOUT, "kernel_btf");

    /** Allocates a zeroed structure in {@code arena}. */
    public BpfBtfInfo(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Asks the kernel to write the object's name into {@code buffer}. */
    public BpfBtfInfo name(MemorySegment buffer) { putPointer(NAME, buffer); putU32(NAME_LEN, (int) buffer.byteSize()); return this; }
    /** {@code btf_size}: bytes of raw BTF. */
    public int btfSize() { return u32(BTF_SIZE); }
    /** {@code id}. */
    public int id() { return u32(ID); }
    /** {@code name_len}: the true name length including the NUL. */
    public int nameLen() { return u32(NAME_LEN); }
    /** {@code kernel_btf}: whether this is vmlinux or module BTF. */
    public boolean kernelBtf() { return u32(KERNEL_BTF) != 0; }
}
