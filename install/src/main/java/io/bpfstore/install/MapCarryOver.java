package io.bpfstore.install;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.UpdateMode;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeping map contents across an upgrade. A map is carried into the new generation when the old and new
 * definitions agree on type, key size, value size, max entries and flags; a map whose definition changed is
 * incompatible (the upgrade is refused unless the user resets it); read-only data ({@code .rodata},
 * {@code .kconfig}) always comes from the new object.
 *
 * <p>Carrying copies the entries of the old map into the new one just before the programs are swapped; entries
 * the old programs write between the copy and the swap are lost. (The loader's map reuse, once available, makes
 * the new programs use the old map objects themselves and closes that window.)
 */
final class MapCarryOver {
    /** Map types whose entries are plain data and can be copied: hash, array, per-CPU and LRU variants, LPM trie. */
    private static final Set<Integer> COPYABLE = Set.of(1, 2, 5, 6, 9, 10, 11);

    private MapCarryOver() {
    }

    /** The maps whose definition differs between the generations, each described with the field that changed. */
    static List<String> incompatible(BpfObject before, BpfObject after) {
        List<String> out = new ArrayList<>();
        for (MapDefinition next : after.maps()) {
            Optional<MapDefinition> prev = before.map(next.name());
            if (prev.isEmpty() || !LoadedGeneration.isState(next)) {
                continue;
            }
            difference(prev.get(), next).ifPresent(d -> out.add("map " + next.name() + ": " + d));
        }
        return out;
    }

    /** The first field that differs, if any. */
    static Optional<String> difference(MapDefinition a, MapDefinition b) {
        if (a.type() != b.type()) {
            return Optional.of("type " + a.type() + " -> " + b.type());
        }
        if (a.keySize() != b.keySize()) {
            return Optional.of("key size " + a.keySize() + " -> " + b.keySize());
        }
        if (a.valueSize() != b.valueSize()) {
            return Optional.of("value size " + a.valueSize() + " -> " + b.valueSize());
        }
        if (a.maxEntries() != b.maxEntries()) {
            return Optional.of("max entries " + a.maxEntries() + " -> " + b.maxEntries());
        }
        if (a.flags() != b.flags()) {
            return Optional.of("flags " + a.flags() + " -> " + b.flags());
        }
        return Optional.empty();
    }

    /** Loads {@code object} and fills its maps from {@code carried} (by map name) where they are compatible. */
    static LoadedObject load(BpfObject object, LoadOptions options, Map<String, BpfMap> carried) {
        LoadedObject loaded = Loader.load(object, options);
        try {
            for (MapDefinition d : object.maps()) {
                BpfMap old = carried.get(d.name());
                if (old == null || !LoadedGeneration.isState(d) || !COPYABLE.contains(d.type())) {
                    continue;
                }
                BpfMap fresh = loaded.map(d.name());
                for (byte[] key : old.keys()) {
                    Optional<byte[]> value = old.lookup(key);
                    if (value.isPresent()) {
                        fresh.update(key, value.get(), UpdateMode.ANY);
                    }
                }
            }
            return loaded;
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }
}
