package io.bpfstore.kernel.testing;

import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An example object loaded by libbpf through {@code bpftool prog loadall} (until bpfstore's own loader
 * lands): bpftool pins programs and maps on a private bpffs, this class opens every pin and unmounts the
 * bpffs again, so only its fds hold the objects. Closing it closes them all.
 */
public final class LoadedObject implements AutoCloseable {
    private final Map<String, BpfProgram> programs;
    private final Map<String, BpfMap> maps;

    private LoadedObject(Map<String, BpfProgram> programs, Map<String, BpfMap> maps) {
        this.programs = programs;
        this.maps = maps;
    }

    /** The compiled example {@code name}.o from the directory in system property bpf.objects. */
    public static Path example(String name) {
        String dir = System.getProperty("bpf.objects");
        if (dir == null) {
            throw new AssertionError("system property bpf.objects is not set (the build sets it)");
        }
        Path object = Path.of(dir, name + ".o");
        if (!Files.isRegularFile(object)) {
            throw new AssertionError("example object " + object + " is missing; build the examples module");
        }
        return object;
    }

    /** Loads the example {@code name} with bpftool. */
    public static LoadedObject load(String name) throws IOException {
        Map<String, BpfProgram> programs = new LinkedHashMap<>();
        Map<String, BpfMap> maps = new LinkedHashMap<>();
        try (PinDir pins = PinDir.create("load-" + name.replace('.', '-'))) {
            Path progDir = pins.resolve("progs");
            Path mapDir = pins.resolve("maps");
            Oracles.run(List.of("bpftool", "prog", "loadall", example(name).toString(), progDir.toString(),
                    "pinmaps", mapDir.toString()));
            try {
                for (Path pin : list(progDir)) {
                    programs.put(pin.getFileName().toString(), BpfProgram.openPinned(pin));
                }
                for (Path pin : list(mapDir)) {
                    maps.put(pin.getFileName().toString(), BpfMap.openPinned(pin));
                }
            } catch (RuntimeException e) {
                programs.values().forEach(BpfProgram::close);
                maps.values().forEach(BpfMap::close);
                throw e;
            }
        }
        return new LoadedObject(programs, maps);
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** The program named {@code name} (its function name). */
    public BpfProgram program(String name) {
        BpfProgram p = programs.get(name);
        if (p == null) {
            throw new AssertionError("no program " + name + " in " + programs.keySet());
        }
        return p;
    }

    /** The map named {@code name}. */
    public BpfMap map(String name) {
        BpfMap m = maps.get(name);
        if (m == null) {
            throw new AssertionError("no map " + name + " in " + maps.keySet());
        }
        return m;
    }

    /** The ids of every program, for leftover checks. */
    public List<Integer> programIds() {
        return programs.values().stream().map(BpfProgram::id).toList();
    }

    @Override
    public void close() {
        programs.values().forEach(BpfProgram::close);
        maps.values().forEach(BpfMap::close);
    }
}
