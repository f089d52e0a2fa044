package io.bpfstore.bytecode.object;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.elf.Section;
import io.bpfstore.bytecode.elf.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Statically initialised {@code values} of BTF-defined maps ({@code .values = { [1] = &prog }} in a
 * {@code PROG_ARRAY}, or inner maps of a map-in-map). The compiler leaves them as relocations in
 * {@code .rel.maps}; a loader fills the slots once the programs and maps exist (libbpf's
 * {@code init_prog_array_slots} and {@code init_map_in_map_slots}).
 */
public final class InitialSlots {
    /**
     * One initialised slot.
     *
     * @param map    the outer map's name
     * @param index  the slot
     * @param target the program or inner map the slot holds, by name
     */
    public record Slot(String map, int index, String target) {
    }

    private InitialSlots() {
    }

    /** Every initialised slot of {@code object}'s BTF-defined maps, in relocation order. */
    public static List<Slot> of(BpfObject object) {
        Optional<Section> section = object.elf().section(".maps");
        Optional<Btf> btf = object.btf();
        List<Slot> slots = new ArrayList<>();
        if (section.isEmpty() || btf.isEmpty()) {
            return slots;
        }
        Optional<BtfType.Datasec> datasec = btf.get().find(".maps", BtfType.Datasec.class);
        if (datasec.isEmpty()) {
            return slots;
        }
        for (io.bpfstore.bytecode.elf.Relocation r : object.elf().relocations(section.get().index())) {
            // The compiler leaves DATASEC offsets at 0 (libbpf fixes them from the symbols): use the ELF symbols.
            for (Symbol mapSymbol : object.elf().symbols()) {
                if (mapSymbol.sectionIndex() != section.get().index() || mapSymbol.type() != Symbol.STT_OBJECT
                        || r.offset() < mapSymbol.value() || r.offset() >= mapSymbol.value() + mapSymbol.size()) {
                    continue;
                }
                Optional<BtfType.Var> var = datasec.get().vars().stream().map(v -> btf.get().type(v.type()))
                        .filter(t -> t instanceof BtfType.Var && t.name().equals(mapSymbol.name()))
                        .map(BtfType.Var.class::cast).findFirst();
                if (var.isEmpty() || !(btf.get().resolve(var.get().type()) instanceof BtfType.Struct def)) {
                    continue;
                }
                Optional<BtfType.Member> values = def.members().stream().filter(m -> m.name().equals("values")).findFirst();
                if (values.isEmpty()) {
                    continue;
                }
                long slot = (r.offset() - mapSymbol.value() - values.get().bitOffset() / 8) / 8;
                Symbol target = object.elf().symbols().get(r.symbolIndex());
                slots.add(new Slot(mapSymbol.name(), (int) slot, target.name()));
            }
        }
        return slots;
    }
}
