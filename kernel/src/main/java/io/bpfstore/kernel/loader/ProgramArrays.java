package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.elf.Relocation;
import io.bpfstore.bytecode.elf.Section;
import io.bpfstore.bytecode.elf.Symbol;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.UpdateMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;

/**
 * Statically initialised {@code values} of BTF-defined maps ({@code .values = { [1] = &prog }} in a
 * {@code PROG_ARRAY}, or inner maps of a map-in-map): the compiler leaves them as relocations in {@code .rel.maps},
 * which libbpf's {@code init_prog_array_slots} and {@code init_map_in_map_slots} turn into map updates once the
 * programs are loaded.
 */
final class ProgramArrays {
    private ProgramArrays() {
    }

    static void fill(BpfObject object, Map<String, BpfMap> maps, Map<String, BpfProgram> programs) {
        Optional<Section> section = object.elf().section(".maps");
        Optional<Btf> btf = object.btf();
        if (section.isEmpty() || btf.isEmpty()) {
            return;
        }
        Optional<BtfType.Datasec> datasec = btf.get().find(".maps", BtfType.Datasec.class);
        if (datasec.isEmpty()) {
            return;
        }
        for (Relocation r : object.elf().relocations(section.get().index())) {
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
                BpfMap outer = maps.get(mapSymbol.name());
                if (values.isEmpty() || outer == null) {
                    continue;
                }
                long slot = (r.offset() - mapSymbol.value() - values.get().bitOffset() / 8) / 8;
                Symbol symbol = object.elf().symbols().get(r.symbolIndex());
                int fd;
                if (programs.containsKey(symbol.name())) {
                    fd = programs.get(symbol.name()).fd().value();
                } else if (maps.containsKey(symbol.name())) {
                    fd = maps.get(symbol.name()).fd().value();
                } else {
                    continue; // a program that was not loaded (refused, with keepGoing): the slot stays empty
                }
                ByteBuffer key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt((int) slot);
                ByteBuffer value = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(fd);
                try {
                    outer.update(key.array(), value.array(), UpdateMode.ANY);
                } catch (BpfException e) {
                    throw new LoadException("initialise slot " + slot + " of map \"" + mapSymbol.name() + "\" with "
                            + symbol.name() + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
