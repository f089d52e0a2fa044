package io.bpfstore.kernel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts this process's open file descriptors, for tests that check nothing outlives its handle. */
public final class OpenFds {
    private OpenFds() {
    }

    /** How many entries {@code /proc/self/fd} has now. */
    public static long count() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
