package io.bpfstore.bytecode.elf;

/**
 * One relocation entry, applied to a target section.
 *
 * @param offset      byte offset inside the target section
 * @param symbolIndex index of the referenced symbol
 * @param type        relocation type ({@code R_BPF_*})
 * @param addend      explicit addend of SHT_RELA entries; 0 for SHT_REL, whose addend is in the instruction
 */
public record Relocation(long offset, int symbolIndex, int type, long addend) {
    /** No relocation. */
    public static final int R_BPF_NONE = 0;
    /** 64-bit immediate of an ld_imm64 instruction (map and global-data references). */
    public static final int R_BPF_64_64 = 1;
    /** 64-bit absolute data, as in .BTF / .maps with pointers. */
    public static final int R_BPF_64_ABS64 = 2;
    /** 32-bit absolute data (DWARF, .BTF.ext). */
    public static final int R_BPF_64_ABS32 = 3;
    /** 32-bit data without a section-relative meaning. */
    public static final int R_BPF_64_NODYLD32 = 4;
    /** The immediate of a call or 32-bit pc-relative instruction (bpf-to-bpf calls, kfuncs). */
    public static final int R_BPF_64_32 = 10;
}
