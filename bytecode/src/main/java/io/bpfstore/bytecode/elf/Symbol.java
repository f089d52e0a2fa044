package io.bpfstore.bytecode.elf;

/**
 * One entry of the symbol table.
 *
 * @param index        index in the symbol table (relocations refer to it)
 * @param name         name from the symbol string table; empty for unnamed symbols
 * @param value        {@code st_value}: for symbols in a section, the byte offset inside it
 * @param size         {@code st_size}
 * @param binding      {@code STB_*} from {@code st_info}
 * @param type         {@code STT_*} from {@code st_info}
 * @param visibility   {@code STV_*} from {@code st_other}
 * @param sectionIndex {@code st_shndx} (after extended indices); {@link #SHN_UNDEF} for undefined symbols
 */
public record Symbol(int index, String name, long value, long size, int binding, int type, int visibility,
                     int sectionIndex) {
    /** Undefined section index: an extern. */
    public static final int SHN_UNDEF = 0;
    /** Absolute value, no section. */
    public static final int SHN_ABS = 0xfff1;
    /** Common symbol. */
    public static final int SHN_COMMON = 0xfff2;
    /** The real index is in the SHT_SYMTAB_SHNDX section. */
    public static final int SHN_XINDEX = 0xffff;

    /** Local binding. */
    public static final int STB_LOCAL = 0;
    /** Global binding. */
    public static final int STB_GLOBAL = 1;
    /** Weak binding. */
    public static final int STB_WEAK = 2;

    /** No type. */
    public static final int STT_NOTYPE = 0;
    /** A data object. */
    public static final int STT_OBJECT = 1;
    /** A function. */
    public static final int STT_FUNC = 2;
    /** A section symbol. */
    public static final int STT_SECTION = 3;

    /** Default visibility. */
    public static final int STV_DEFAULT = 0;
    /** Hidden visibility (libbpf: a static-like global subprogram). */
    public static final int STV_HIDDEN = 2;

    /** Whether the symbol is defined in a regular section. */
    public boolean isDefined() {
        return sectionIndex != SHN_UNDEF && sectionIndex < 0xff00;
    }
}
