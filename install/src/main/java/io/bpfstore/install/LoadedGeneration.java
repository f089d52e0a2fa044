package io.bpfstore.install;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One generation of an installation loaded into the kernel and pinned under
 * {@code <bpffs>/<id>/g<N>/{maps,programs}}: the pins keep it alive after this process exits.
 *
 * @param object the loaded object (this process's fds; close when done)
 * @param pins   what was pinned, to record
 */
record LoadedGeneration(LoadedObject object, List<Pin> pins) implements AutoCloseable {

    /**
     * Loads {@code object}, reusing {@code carried} (live maps of the previous generation, by map name) instead of
     * creating those maps, and pins its maps and programs into the generation folder.
     */
    static LoadedGeneration load(BpfObject object, InstallLayout layout, String id, int generation,
                                 Map<String, BpfMap> carried) {
        Path dir = layout.generation(id, generation);
        Path maps = PinFolders.create(dir.resolve("maps"));
        Path programs = PinFolders.create(dir.resolve("programs"));
        LoadOptions options = LoadOptions.defaults().withPinRoot(maps);
        LoadedObject loaded = MapCarryOver.load(object, options, carried);
        try {
            List<Pin> pins = new ArrayList<>();
            for (var e : loaded.maps().entrySet()) {
                Path pin = maps.resolve(PinFolders.fileName(e.getKey()));
                if (!Files.exists(pin)) { // LIBBPF_PIN_BY_NAME maps are pinned there by the loader already
                    e.getValue().pin(pin);
                }
                pins.add(new Pin(Pin.Kind.MAP, e.getKey(), generation, pin, e.getValue().id()));
            }
            for (var e : loaded.programs().entrySet()) {
                Path pin = programs.resolve(PinFolders.fileName(e.getKey()));
                e.getValue().pin(pin);
                pins.add(new Pin(Pin.Kind.PROGRAM, e.getKey(), generation, pin, e.getValue().id()));
            }
            return new LoadedGeneration(loaded, pins);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** The live maps of a recorded generation, opened from their pins, by map name (caller closes them). */
    static Map<String, BpfMap> openMaps(List<Pin> pins, int generation) {
        Map<String, BpfMap> out = new java.util.LinkedHashMap<>();
        for (Pin p : pins) {
            if (p.kind() == Pin.Kind.MAP && p.generation() == generation && Files.exists(p.path())) {
                out.put(p.name(), BpfMap.openPinned(p.path()));
            }
        }
        return out;
    }

    /** Whether a map's contents are state worth carrying into the next generation (not read-only data). */
    static boolean isState(MapDefinition d) {
        return !d.name().endsWith(".rodata") && !d.name().endsWith(".kconfig");
    }

    @Override
    public void close() {
        object.close();
    }
}
