package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The compiled example objects the loader tests iterate over (system property {@code bpf.objects}). */
final class Objects {
    private Objects() {
    }

    static Path root() {
        String dir = System.getProperty("bpf.objects");
        assertNotNull(dir, "system property bpf.objects is not set (the build sets it)");
        Path root = Path.of(dir);
        assertFalse(!Files.isDirectory(root), root + " is missing: build the examples module first");
        return root;
    }

    /** Every .o directly in {@code dir}, sorted. */
    static List<Path> in(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".o")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Top-level, rejected/ and toolchains/ objects. */
    static List<Path> all() {
        Path root = root();
        return Stream.of(in(root), in(root.resolve("rejected")), in(root.resolve("toolchains")))
                .flatMap(List::stream).toList();
    }
}
