package io.bpfstore.install;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.LinkedHashMap;

/**
 * Keeping map contents across an upgrade. A map is carried into the new generation when the old and new
 * definitions agree on type, key size, value size, max entries and flags: the new programs are loaded against the
 * old map object itself ({@link LoadOptions#withExistingMaps}), so no entry written by the old programs up to the
 * swap is lost. A map whose definition changed is incompatible (the upgrade is refused unless the user resets it,
 * and it then starts from the new object's definition); read-only data ({@code .rodata}, {@code .kconfig}) always
 * comes from the new object.
 */
final class MapCarryOver {
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

    /**
     * Loads {@code object} reusing those of {@code carried} (live maps by name) that it defines with the same
     * definition and that hold state; the others are created fresh.
     */
    static LoadedObject load(BpfObject object, LoadOptions options, Map<String, BpfMap> carried) {
        Map<String, BpfMap> reuse = new LinkedHashMap<>();
        for (MapDefinition d : object.maps()) {
            BpfMap old = carried.get(d.name());
            if (old != null && LoadedGeneration.isState(d)) {
                reuse.put(d.name(), old);
            }
        }
        return Loader.load(object, reuse.isEmpty() ? options : options.withExistingMaps(reuse));
    }
}
