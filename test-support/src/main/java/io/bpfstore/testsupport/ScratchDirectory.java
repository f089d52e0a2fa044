package io.bpfstore.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A fresh temporary directory for one piece of work (files handed to an oracle tool and its output), removed with
 * what it holds when the work ends, however it ends: tests that run tools in a loop leave nothing in /tmp.
 */
public final class ScratchDirectory {
    private ScratchDirectory() {
    }

    /** Work on files in a scratch directory. */
    @FunctionalInterface
    public interface Work<T> {
        /** Does the work in {@code dir}; what it returns is the result of {@link #in}. */
        T in(Path dir) throws IOException;
    }

    /**
     * Runs {@code work} in a new directory named after {@code prefix} (files only, no subdirectories), then removes
     * it; an I/O failure comes as {@link UncheckedIOException}.
     */
    public static <T> T in(String prefix, Work<T> work) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            try {
                return work.in(dir);
            } finally {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
