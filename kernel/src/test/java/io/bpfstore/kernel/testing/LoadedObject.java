package io.bpfstore.kernel.testing;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.Loader;
import io.bpfstore.testsupport.ExampleObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An example object loaded by bpfstore's own loader (no pins), so attach and traffic tests run the whole
 * pure-Java stack; the loader itself is compared with libbpf in the loader package's tests. Closing it closes
 * every program, map and BTF object.
 */
public final class LoadedObject implements AutoCloseable {
    private final io.bpfstore.kernel.loader.LoadedObject loaded;

    private LoadedObject(io.bpfstore.kernel.loader.LoadedObject loaded) {
        this.loaded = loaded;
    }

    /** The compiled example {@code name}.o from the directory in system property bpf.objects. */
    public static Path example(String name) {
        Path object = ExampleObjects.resolve(name + ".o");
        if (!Files.isRegularFile(object)) {
            throw new AssertionError("example object " + object + " is missing; build the examples module");
        }
        return object;
    }

    /** Loads the example {@code name}. */
    public static LoadedObject load(String name) throws IOException {
        return new LoadedObject(Loader.load(BpfObject.read(example(name)), LoadOptions.defaults().withoutPinning()));
    }

    /** The program named {@code name} (its function name). */
    public BpfProgram program(String name) {
        BpfProgram p = loaded.programs().get(name);
        if (p == null) {
            throw new AssertionError("no program " + name + " in " + loaded.programs().keySet());
        }
        return p;
    }

    /** The map named {@code name}. */
    public BpfMap map(String name) {
        BpfMap m = loaded.maps().get(name);
        if (m == null) {
            throw new AssertionError("no map " + name + " in " + loaded.maps().keySet());
        }
        return m;
    }

    /** The ids of every program, for leftover checks. */
    public List<Integer> programIds() {
        return loaded.programs().values().stream().map(BpfProgram::id).toList();
    }

    @Override
    public void close() {
        loaded.close();
    }
}
