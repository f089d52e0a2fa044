package io.bpfstore.bytecode.assembler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The external test corpora, found through the {@code bpfstore.corpus} system property. */
final class Corpus {
    private Corpus() {
    }

    /** The corpus root; fails if the property is unset or the folder is missing. */
    static Path root() {
        String dir = System.getProperty("bpfstore.corpus");
        assertNotNull(dir, "system property bpfstore.corpus is not set (the parent pom sets it)");
        Path root = Path.of(dir);
        assertTrue(Files.isDirectory(root), "corpus folder " + root + " is missing");
        return root;
    }

    /** The files in {@code folder} (relative to the root) whose names end in {@code suffix}, sorted. */
    static List<Path> files(String folder, String suffix) {
        try (Stream<Path> s = Files.list(root().resolve(folder))) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
            assertFalse(files.isEmpty(), "no *" + suffix + " files in " + root().resolve(folder));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file's text. */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
