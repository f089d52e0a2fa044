package io.bpfstore.install;

import io.bpfstore.kernel.Pins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Pin names and folders on the bpffs: creating them, and removing a folder with every pin under it. */
final class PinFolders {
    private PinFolders() {
    }

    /** A pin file name for an object name: bpffs refuses '.' (libbpf's internal maps are named like {@code obj.bss}). */
    static String fileName(String objectName) {
        return objectName.replace('.', '_').replace('/', '_');
    }

    /** Creates {@code dir} and its parents. */
    static Path create(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("create " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes {@code dir} and everything under it, deepest first. Removing a link's last pin detaches it (when no
     * process holds it); removing a program's or map's last reference frees it.
     */
    static void remove(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir + ": " + e.getMessage(), e);
        }
        for (Path p : all) {
            Pins.unpin(p);
        }
    }
}
