package io.bpfstore.bytecode.elf;

import io.bpfstore.bytecode.ByteReader;

/**
 * One section of an ELF file: its header fields and, unless it is {@code SHT_NOBITS}, its bytes.
 *
 * @param index     section index in the header table
 * @param name      name from the section-name string table
 * @param type      {@code sh_type}
 * @param flags     {@code sh_flags}
 * @param offset    {@code sh_offset} in the file
 * @param size      {@code sh_size}; for NOBITS the size in memory
 * @param link      {@code sh_link}
 * @param info      {@code sh_info}
 * @param alignment {@code sh_addralign}
 * @param entrySize {@code sh_entsize}
 * @param contents  a reader over the section's bytes (empty for NOBITS), naming the section in errors
 */
public record Section(int index, String name, int type, long flags, long offset, long size, int link, int info,
                      long alignment, long entrySize, ByteReader contents) {
    /** {@code SHT_NULL}. */
    public static final int SHT_NULL = 0;
    /** Program bits: code and initialised data. */
    public static final int SHT_PROGBITS = 1;
    /** Symbol table. */
    public static final int SHT_SYMTAB = 2;
    /** String table. */
    public static final int SHT_STRTAB = 3;
    /** Relocations with addends. */
    public static final int SHT_RELA = 4;
    /** Uninitialised data, no bytes in the file. */
    public static final int SHT_NOBITS = 8;
    /** Relocations without addends (what eBPF uses). */
    public static final int SHT_REL = 9;
    /** Extended section indices of the symbol table. */
    public static final int SHT_SYMTAB_SHNDX = 18;
    /** LLVM's address-significance table. */
    public static final int SHT_LLVM_ADDRSIG = 0x6fff4c03;

    /** Writable at run time. */
    public static final long SHF_WRITE = 0x1;
    /** Occupies memory at run time. */
    public static final long SHF_ALLOC = 0x2;
    /** Contains instructions. */
    public static final long SHF_EXECINSTR = 0x4;

    /** Whether the section holds instructions. */
    public boolean isExecutable() {
        return type == SHT_PROGBITS && (flags & SHF_EXECINSTR) != 0;
    }

    /** A copy of the section's bytes (empty for NOBITS). */
    public byte[] bytes() {
        return contents.toArray();
    }
}
