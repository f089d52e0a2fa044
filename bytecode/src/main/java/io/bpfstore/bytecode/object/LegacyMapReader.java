package io.bpfstore.bytecode.object;

import io.bpfstore.bytecode.ByteReader;
import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.bytecode.elf.ElfFile;
import io.bpfstore.bytecode.elf.Section;
import io.bpfstore.bytecode.elf.Symbol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the legacy {@code maps} section: one record per map symbol, all of one size (the section size divided by the
 * number of map symbols, as libbpf 0.x and iproute2 both work it out). The first 20 bytes are libbpf's
 * {@code struct bpf_map_def} ({@code type, key_size, value_size, max_entries, map_flags}); records longer than 20
 * bytes are read as iproute2's {@code struct bpf_elf_map}, whose next 16 bytes are {@code id, pinning, inner_id,
 * inner_idx} (fields a shorter record lacks are zero, as iproute2's fix-up leaves them). Bytes past those 36 must be
 * zero, as libbpf 0.x required of fields it did not know.
 */
final class LegacyMapReader {
    private static final String SECTION = MapDefinition.LEGACY_SECTION;
    /** {@code type, key_size, value_size, max_entries}: the least iproute2 accepts. */
    private static final int MIN_RECORD = 16;
    private static final int MAP_DEF_SIZE = 20;
    private static final int ELF_MAP_SIZE = 36;
    private static final int ARRAY_OF_MAPS = 12;
    private static final int HASH_OF_MAPS = 13;

    private final ElfFile elf;
    private final Section section;

    LegacyMapReader(ElfFile elf, Section section) {
        this.elf = elf;
        this.section = section;
    }

    List<MapDefinition> read() {
        List<Symbol> symbols = elf.symbols().stream()
                .filter(s -> s.sectionIndex() == section.index() && s.type() != Symbol.STT_SECTION
                        && !s.name().isEmpty())
                .sorted(Comparator.comparingLong(Symbol::value)).toList();
        if (symbols.isEmpty()) {
            return List.of();
        }
        long size = section.size();
        if (size % symbols.size() != 0) {
            throw new MalformedObjectException(SECTION, 0, symbols.size() + " map symbols do not divide the " + size
                    + "-byte section into records of one size");
        }
        long record = size / symbols.size();
        if (record < MIN_RECORD || record % 4 != 0) {
            throw new MalformedObjectException(SECTION, 0, "records of " + record + " bytes (" + size + " bytes, "
                    + symbols.size() + " map symbols) are not struct bpf_map_def or struct bpf_elf_map records:"
                    + " at least 16 bytes, a multiple of 4");
        }
        ByteReader r = section.contents();
        List<Raw> raws = new ArrayList<>();
        for (int i = 0; i < symbols.size(); i++) {
            Symbol s = symbols.get(i);
            long at = s.value();
            if (at != i * record) {
                throw new MalformedObjectException(SECTION, at, "map " + s.name() + " starts at byte " + at
                        + ", but the " + symbols.size() + " records of " + record + " bytes start at multiples of "
                        + record + (i > 0 && at == symbols.get(i - 1).value() ? " (two symbols share a record)" : ""));
            }
            raws.add(readRecord(r, s.name(), at, record));
        }
        return resolve(raws, record > MAP_DEF_SIZE);
    }

    /** One record as read, before map-in-map links are resolved. */
    private record Raw(String name, long offset, long[] fields) {
        long field(int i) {
            return i < fields.length ? fields[i] : 0;
        }
    }

    private static Raw readRecord(ByteReader r, String name, long at, long record) {
        int known = (int) Math.min(record, ELF_MAP_SIZE) / 4;
        long[] fields = new long[known];
        for (int i = 0; i < known; i++) {
            fields[i] = r.u32(at + 4L * i);
        }
        for (long b = ELF_MAP_SIZE; b < record; b++) {
            if (r.u8(at + b) != 0) {
                throw new MalformedObjectException(SECTION, at + b, "map " + name + ": byte " + b + " of its "
                        + record + "-byte record is not zero; bpfstore knows struct bpf_map_def (20 bytes) and"
                        + " iproute2's struct bpf_elf_map (36 bytes), and fields past them must be zero");
            }
        }
        return new Raw(name, at, fields);
    }

    private static List<MapDefinition> resolve(List<Raw> raws, boolean elfMaps) {
        Map<Long, Raw> byId = new HashMap<>();
        for (Raw raw : raws) {
            long id = raw.field(5);
            if (id != 0 && byId.putIfAbsent(id, raw) != null) {
                throw new MalformedObjectException(SECTION, raw.offset() + 20, "map " + raw.name() + " has id " + id
                        + ", which map " + byId.get(id).name() + " already has");
            }
        }
        List<MapDefinition> maps = new ArrayList<>(raws.size());
        for (Raw raw : raws) {
            Optional<ElfMapFields> extra = elfMaps
                    ? Optional.of(new ElfMapFields(raw.field(5), raw.field(6), raw.field(7), raw.field(8)))
                    : Optional.empty();
            Optional<MapDefinition> inner = Optional.empty();
            long innerId = raw.field(7);
            boolean mapInMap = raw.field(0) == ARRAY_OF_MAPS || raw.field(0) == HASH_OF_MAPS;
            if (innerId != 0) {
                Raw template = byId.get(innerId);
                if (template == null || template == raw) {
                    throw new MalformedObjectException(SECTION, raw.offset() + 28, "map " + raw.name()
                            + " names inner map id " + innerId + ", which no other map in the section has");
                }
                if (!mapInMap) {
                    throw new MalformedObjectException(SECTION, raw.offset() + 28, "map " + raw.name()
                            + " names an inner map (id " + innerId + ") but its type " + raw.field(0)
                            + " is not a map of maps");
                }
                inner = Optional.of(definition(template, Optional.empty(), Optional.empty()));
            } else if (mapInMap && elfMaps) {
                throw new MalformedObjectException(SECTION, raw.offset() + 28, "map " + raw.name()
                        + " is a map of maps without inner_id: iproute2 needs the id of its inner map's record");
            }
            maps.add(definition(raw, inner, extra));
        }
        return maps;
    }

    private static MapDefinition definition(Raw raw, Optional<MapDefinition> inner, Optional<ElfMapFields> extra) {
        return new MapDefinition(raw.name(), SECTION, (int) raw.field(0), raw.field(1), raw.field(2), raw.field(3),
                raw.field(4), 0, 0, 0, inner, extra);
    }
}
