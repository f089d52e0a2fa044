package io.bpfstore.bytecode.elf;

import io.bpfstore.bytecode.ByteReader;
import io.bpfstore.bytecode.MalformedObjectException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, validated ELF64 file: header, sections, symbols and relocations.
 *
 * <p>Parsing checks every offset, size, index and string reference before exposing it; any fault raises a
 * {@link MalformedObjectException} naming the structure (e.g. {@code section header 7}, {@code .symtab}) and
 * the byte offset.
 */
public final class ElfFile {
    private static final int HEADER_SIZE = 64;
    private static final int SECTION_HEADER_SIZE = 64;
    private static final int SYMBOL_SIZE = 24;
    private static final int REL_SIZE = 16;
    private static final int RELA_SIZE = 24;
    private static final int SHT_DYNSYM = 11;
    /** Files larger than this are refused before reading: no eBPF object comes near it. */
    public static final long MAX_FILE_SIZE = 1L << 30;

    private final ElfHeader header;
    private final List<Section> sections;
    private final List<Symbol> symbols;
    private final Map<Integer, List<Relocation>> relocations;

    private ElfFile(ElfHeader header, List<Section> sections, List<Symbol> symbols,
                    Map<Integer, List<Relocation>> relocations) {
        this.header = header;
        this.sections = sections;
        this.symbols = symbols;
        this.relocations = relocations;
    }

    /** Reads and parses the file at {@code path}. */
    public static ElfFile read(Path path) throws IOException {
        return parse(readBytes(path));
    }

    /** The bytes of the file at {@code path}, refusing files over {@link #MAX_FILE_SIZE} before reading them. */
    public static byte[] readBytes(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            // reading a directory fails with an IOException that does not say which path
            throw new FileSystemException(path.toString(), null, "is a directory, not an object file");
        }
        long size = Files.size(path);
        if (size > MAX_FILE_SIZE) {
            throw new MalformedObjectException("ELF file", MalformedObjectException.NO_OFFSET,
                    "file of " + size + " bytes is larger than the " + MAX_FILE_SIZE + "-byte limit");
        }
        return Files.readAllBytes(path);
    }

    /** Parses an ELF64 file held in memory. */
    public static ElfFile parse(byte[] bytes) {
        ByteReader file = ByteReader.of(bytes, ByteOrder.LITTLE_ENDIAN, "ELF header");
        if (bytes.length < 16 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new MalformedObjectException("ELF header", 0, "not an ELF file (bad magic)");
        }
        int elfClass = bytes[4];
        if (elfClass != 2) {
            throw new MalformedObjectException("ELF header", 4,
                    elfClass == 1 ? "32-bit ELF; eBPF objects are 64-bit" : "unknown ELF class " + elfClass);
        }
        ByteOrder order = switch (bytes[5]) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> throw new MalformedObjectException("ELF header", 5, "unknown byte order " + bytes[5]);
        };
        if (bytes[6] != 1) {
            throw new MalformedObjectException("ELF header", 6, "unknown ELF version " + bytes[6]);
        }
        if (bytes.length < HEADER_SIZE) {
            throw new MalformedObjectException("ELF header", bytes.length,
                    "file is " + bytes.length + " bytes, shorter than the 64-byte header");
        }
        file = ByteReader.of(bytes, order, "ELF header");
        int type = file.u16(16);
        int machine = file.u16(18);
        long flags = file.u32(48);
        long sectionTableOffset = file.s64(40);
        int sectionHeaderSize = file.u16(58);
        long sectionCount = file.u16(60);
        long nameTableIndex = file.u16(62);

        ByteReader whole = ByteReader.of(bytes, order, "ELF file");
        if (sectionTableOffset == 0) {
            // No section header table: nothing we can read, but a valid (empty) file.
            ElfHeader h = new ElfHeader(order, bytes[7] & 0xff, type, machine, flags, 0, 0);
            return new ElfFile(h, List.of(), List.of(), Map.of());
        }
        if (sectionHeaderSize != SECTION_HEADER_SIZE) {
            throw new MalformedObjectException("ELF header", 58,
                    "section header size " + sectionHeaderSize + ", expected " + SECTION_HEADER_SIZE);
        }
        if (sectionTableOffset < 0 || sectionTableOffset > bytes.length - SECTION_HEADER_SIZE) {
            throw new MalformedObjectException("ELF header", 40,
                    "section header table offset " + Long.toUnsignedString(sectionTableOffset)
                            + " is outside the file (" + bytes.length + " bytes)");
        }
        // Extended numbering: section 0 carries the real count and string-table index.
        ByteReader first = whole.slice(sectionTableOffset, SECTION_HEADER_SIZE, "section header 0");
        if (sectionCount == 0) {
            sectionCount = first.s64(32);
        }
        if (nameTableIndex == Symbol.SHN_XINDEX) {
            nameTableIndex = first.u32(40);
        }
        long tableBytes = sectionCount * SECTION_HEADER_SIZE;
        if (sectionCount < 0 || sectionCount > bytes.length / SECTION_HEADER_SIZE
                || tableBytes > bytes.length - sectionTableOffset) {
            throw new MalformedObjectException("ELF header", 60,
                    "section header table of " + Long.toUnsignedString(sectionCount)
                            + " entries does not fit in the file");
        }
        if (nameTableIndex >= sectionCount) {
            throw new MalformedObjectException("ELF header", 62,
                    "section-name table index " + nameTableIndex + " is not below the section count " + sectionCount);
        }
        int count = (int) sectionCount;

        long[][] raw = new long[count][];
        for (int i = 0; i < count; i++) {
            ByteReader sh = whole.slice(sectionTableOffset + (long) i * SECTION_HEADER_SIZE, SECTION_HEADER_SIZE,
                    "section header " + i);
            raw[i] = new long[] {sh.u32(0), sh.u32(4), sh.s64(8), sh.s64(24), sh.s64(32), sh.u32(40), sh.u32(44),
                    sh.s64(48), sh.s64(56)};
            int shType = (int) raw[i][1];
            long offset = raw[i][3];
            long size = raw[i][4];
            if (i > 0 && shType != Section.SHT_NOBITS && shType != Section.SHT_NULL
                    && (offset < 0 || size < 0 || offset > bytes.length || size > bytes.length - offset)) {
                throw new MalformedObjectException("section header " + i, 24,
                        "section data [" + Long.toUnsignedString(offset) + ", +" + Long.toUnsignedString(size)
                                + ") extends past the end of the file (" + bytes.length + " bytes)");
            }
        }
        checkNoOverlap(raw);

        int nameIndex = (int) nameTableIndex;
        if (raw[nameIndex][1] != Section.SHT_STRTAB) {
            throw new MalformedObjectException("section header " + nameIndex, 4,
                    "section-name table is not a string table (type " + raw[nameIndex][1] + ")");
        }
        ByteReader names = whole.slice(raw[nameIndex][3], raw[nameIndex][4], "section-name table");

        List<Section> sections = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long[] r = raw[i];
            String name = i == 0 ? "" : stringAt(names, r[0], "section header " + i, 0);
            boolean hasBytes = r[1] != Section.SHT_NOBITS && r[1] != Section.SHT_NULL && i > 0;
            ByteReader contents = hasBytes ? whole.slice(r[3], r[4], name) : ByteReader.of(new byte[0], order, name);
            sections.add(new Section(i, name, (int) r[1], r[2], r[3], r[4], (int) r[5], (int) r[6], r[7], r[8],
                    contents));
        }
        List<Symbol> symbols = readSymbols(sections);
        Map<Integer, List<Relocation>> relocations = readRelocations(sections, symbols.size());
        ElfHeader header = new ElfHeader(order, bytes[7] & 0xff, type, machine, flags, count, nameIndex);
        return new ElfFile(header, List.copyOf(sections), symbols, relocations);
    }

    /** The string at {@code offset} of {@code table}; a fault names {@code owner} and the referring field. */
    private static String stringAt(ByteReader table, long offset, String owner, long ownerOffset) {
        if (offset < 0 || offset >= table.length()) {
            throw new MalformedObjectException(owner, ownerOffset,
                    "name offset " + offset + " is outside " + table.where() + " (" + table.length() + " bytes)");
        }
        return table.cString(offset);
    }

    private static void checkNoOverlap(long[][] raw) {
        Integer[] order = new Integer[raw.length];
        for (int i = 0; i < raw.length; i++) {
            order[i] = i;
        }
        Integer[] withBytes = Arrays.stream(order)
                .filter(i -> i > 0 && raw[i][1] != Section.SHT_NOBITS && raw[i][1] != Section.SHT_NULL
                        && raw[i][4] > 0)
                .sorted(Comparator.comparingLong(i -> raw[i][3]))
                .toArray(Integer[]::new);
        for (int k = 1; k < withBytes.length; k++) {
            long[] prev = raw[withBytes[k - 1]];
            long[] cur = raw[withBytes[k]];
            if (prev[3] + prev[4] > cur[3]) {
                throw new MalformedObjectException("section header " + withBytes[k], 24,
                        "section data at " + cur[3] + " overlaps section " + withBytes[k - 1] + " ["
                                + prev[3] + ", " + (prev[3] + prev[4]) + ")");
            }
        }
    }

    private static List<Symbol> readSymbols(List<Section> sections) {
        Section symtab = null;
        Section shndx = null;
        for (Section s : sections) {
            if (s.type() == Section.SHT_SYMTAB) {
                if (symtab != null) {
                    throw new MalformedObjectException("section header " + s.index(), 4,
                            "second symbol table (the first is section " + symtab.index() + ")");
                }
                symtab = s;
            } else if (s.type() == Section.SHT_SYMTAB_SHNDX) {
                shndx = s;
            }
        }
        if (symtab == null) {
            return List.of();
        }
        if (symtab.size() % SYMBOL_SIZE != 0) {
            throw new MalformedObjectException(symtab.name(), 0,
                    "size " + symtab.size() + " is not a multiple of the " + SYMBOL_SIZE + "-byte symbol entry");
        }
        Section strtab = linkedSection(sections, symtab, Section.SHT_STRTAB, "string table");
        int count = (int) (symtab.size() / SYMBOL_SIZE);
        ByteReader r = symtab.contents();
        List<Symbol> symbols = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long at = (long) i * SYMBOL_SIZE;
            long nameOffset = r.u32(at);
            String name = nameOffset == 0 ? "" : stringAt(strtab.contents(), nameOffset, symtab.name(), at);
            int info = r.u8(at + 4);
            int other = r.u8(at + 5);
            int sectionIndex = r.u16(at + 6);
            if (sectionIndex == Symbol.SHN_XINDEX) {
                if (shndx == null) {
                    throw new MalformedObjectException(symtab.name(), at + 6,
                            "symbol " + i + " uses an extended section index but there is no SHT_SYMTAB_SHNDX section");
                }
                sectionIndex = (int) shndx.contents().u32((long) i * 4);
            }
            if (sectionIndex != Symbol.SHN_UNDEF && sectionIndex < 0xff00 && sectionIndex >= sections.size()) {
                throw new MalformedObjectException(symtab.name(), at + 6,
                        "symbol " + i + " (" + name + ") refers to section " + sectionIndex + " of "
                                + sections.size());
            }
            symbols.add(new Symbol(i, name, r.s64(at + 8), r.s64(at + 16), info >>> 4, info & 0xf, other & 0x3,
                    sectionIndex));
        }
        return List.copyOf(symbols);
    }

    private static Section linkedSection(List<Section> sections, Section from, int expectedType, String what) {
        int link = from.link();
        if (link <= 0 || link >= sections.size() || sections.get(link).type() != expectedType) {
            throw new MalformedObjectException("section header " + from.index(), 40,
                    from.name() + " links to section " + Integer.toUnsignedString(link) + ", which is not a " + what);
        }
        return sections.get(link);
    }

    private static Map<Integer, List<Relocation>> readRelocations(List<Section> sections, int symbolCount) {
        Map<Integer, List<Relocation>> byTarget = new LinkedHashMap<>();
        for (Section s : sections) {
            boolean rela = s.type() == Section.SHT_RELA;
            if (s.type() != Section.SHT_REL && !rela) {
                continue;
            }
            int entry = rela ? RELA_SIZE : REL_SIZE;
            if (s.size() % entry != 0) {
                throw new MalformedObjectException(s.name(), 0,
                        "size " + s.size() + " is not a multiple of the " + entry + "-byte relocation entry");
            }
            if (s.link() > 0 && s.link() < sections.size() && sections.get(s.link()).type() == SHT_DYNSYM) {
                continue; // dynamic relocations of executables and shared objects: nothing eBPF uses
            }
            linkedSection(sections, s, Section.SHT_SYMTAB, "symbol table");
            int target = s.info();
            if (target <= 0 || target >= sections.size()) {
                throw new MalformedObjectException("section header " + s.index(), 44,
                        s.name() + " applies to section " + Integer.toUnsignedString(target) + " of " + sections.size());
            }
            Section targetSection = sections.get(target);
            ByteReader r = s.contents();
            int count = (int) (s.size() / entry);
            List<Relocation> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long at = (long) i * entry;
                long offset = r.s64(at);
                long info = r.s64(at + 8);
                int symbol = (int) (info >>> 32);
                int type = (int) info;
                if (symbol < 0 || symbol >= symbolCount) {
                    throw new MalformedObjectException(s.name(), at + 8,
                            "relocation " + i + " refers to symbol " + Integer.toUnsignedString(symbol) + " of "
                                    + symbolCount);
                }
                if (offset < 0 || offset >= targetSection.size()) {
                    throw new MalformedObjectException(s.name(), at,
                            "relocation " + i + " at offset " + Long.toUnsignedString(offset) + " is outside "
                                    + targetSection.name() + " (" + targetSection.size() + " bytes)");
                }
                list.add(new Relocation(offset, symbol, type, rela ? r.s64(at + 16) : 0));
            }
            byTarget.computeIfAbsent(target, k -> new ArrayList<>()).addAll(list);
        }
        Map<Integer, List<Relocation>> frozen = new LinkedHashMap<>();
        byTarget.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(frozen);
    }

    /** The header. */
    public ElfHeader header() {
        return header;
    }

    /** All sections in header-table order, section 0 (the null section) included. */
    public List<Section> sections() {
        return sections;
    }

    /** The first section with this name. */
    public Optional<Section> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The section at {@code index}. */
    public Section section(int index) {
        return sections.get(index);
    }

    /** The symbol table, entry 0 (the null symbol) included; empty when there is none. */
    public List<Symbol> symbols() {
        return symbols;
    }

    /** Relocations applied to the section at {@code targetIndex}, in file order; empty when there are none. */
    public List<Relocation> relocations(int targetIndex) {
        return relocations.getOrDefault(targetIndex, List.of());
    }

    /** The byte order of the file (and of the eBPF instructions in it). */
    public ByteOrder order() {
        return header.order();
    }
}
