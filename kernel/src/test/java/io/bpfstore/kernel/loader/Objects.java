package io.bpfstore.kernel.loader;


import io.bpfstore.testsupport.ExampleObjects;
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

    /** The catalog directory ({@link ExampleObjects#dir()}). */
    static Path root() {
        return ExampleObjects.dir();
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
