package io.bpfstore.kernel.loader;

import io.bpfstore.kernel.testing.Oracles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Compiles small C programs written by a test into eBPF objects, with the flags the examples use. */
final class Clang {
    private Clang() {
    }

    static Path compile(Path dir, String name, String source) throws IOException {
        Path c = dir.resolve(name + ".c");
        Path o = dir.resolve(name + ".o");
        Files.writeString(c, source);
        Oracles.run(List.of("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-Wall",
                "-c", c.toString(), "-o", o.toString()));
        return o;
    }
}
