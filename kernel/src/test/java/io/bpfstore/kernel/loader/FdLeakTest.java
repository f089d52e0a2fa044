package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.testing.OpenFds;
import io.bpfstore.kernel.testing.Oracles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Loading leaks no file descriptor, whatever the outcome: every example (accepted, refused by the verifier,
 * refused by the loader) is loaded and closed, and the process's open descriptors are counted before and after.
 */
class FdLeakTest {
    @Test
    void everyOutcomeClosesWhatItOpened() throws IOException {
        Oracles.requireRoot();
        LoadOptions options = LoadOptions.defaults().withoutPinning();
        loadAll(options); // warm up: class loading, the kernel BTF cache, JIT threads
        long before = OpenFds.count();
        loadAll(options);
        assertEquals(before, OpenFds.count(), "open file descriptors after loading every example again");
    }

    private static void loadAll(LoadOptions options) throws IOException {
        for (Path p : Objects.all()) {
            try (LoadedObject o = Loader.load(BpfObject.read(p), options)) {
                o.programs().size();
            } catch (ProgramRejectedException | LoadException | MalformedObjectException e) {
                // refusals are expected for rejected/ and some toolchain variants
            }
        }
    }

}
