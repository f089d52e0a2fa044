package io.bpfstore.kernel.loader;

import io.bpfstore.testsupport.BpfClang;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Compiles small C programs written by a test into eBPF objects, with the flags the examples use. */
final class Clang {
    private Clang() {
    }

    static Path compile(Path dir, String name, String source) throws IOException {
        Path c = dir.resolve(name + ".c");
        Path o = dir.resolve(name + ".o");
        Files.writeString(c, source);
        return BpfClang.compile(BpfClang.DEFAULT, c, o, "-Wall");
    }
}
