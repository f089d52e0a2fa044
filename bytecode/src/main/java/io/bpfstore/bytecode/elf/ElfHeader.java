package io.bpfstore.bytecode.elf;

import java.nio.ByteOrder;

/**
 * The ELF file header fields that matter for an eBPF object.
 *
 * @param order        byte order from {@code EI_DATA}
 * @param osAbi        {@code EI_OSABI}
 * @param type         {@code e_type}; eBPF objects are {@link #ET_REL}
 * @param machine      {@code e_machine}; eBPF is {@link #EM_BPF}
 * @param flags        {@code e_flags}
 * @param sectionCount number of section headers (after extended numbering)
 * @param sectionNameTableIndex index of the section-name string table (after extended numbering)
 */
public record ElfHeader(ByteOrder order, int osAbi, int type, int machine, long flags, int sectionCount,
                        int sectionNameTableIndex) {
    /** {@code e_type} of a relocatable object. */
    public static final int ET_REL = 1;
    /** {@code e_machine} of eBPF. */
    public static final int EM_BPF = 247;
}
