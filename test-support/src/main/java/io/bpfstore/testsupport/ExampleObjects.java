package io.bpfstore.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The compiled example catalog (examples/target/bpf), which the build passes to tests as the system property
 * {@code bpf.objects}. Tests iterate over whatever is there rather than a fixed list, so new examples are covered
 * automatically.
 */
public final class ExampleObjects {
    private ExampleObjects() {
    }

    /** The catalog directory; fails the test when the property is unset or names no directory. */
    public static Path dir() {
        String dir = System.getProperty("bpf.objects");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new AssertionError("system property bpf.objects must name the compiled example catalog; got " + dir);
        }
        return Path.of(dir);
    }

    /** A file or directory inside the catalog, e.g. {@code resolve("rejected", "oob_packet_read.o")}. */
    public static Path resolve(String first, String... more) {
        return dir().resolve(Path.of(first, more));
    }

    /**
     * Every {@code .o} under the catalog, recursively (catalog, rejected programs, toolchain variants), sorted;
     * fails the test when there is none.
     */
    public static List<Path> all() {
        try (Stream<Path> s = Files.walk(dir())) {
            List<Path> objects = s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
            if (objects.isEmpty()) {
                throw new AssertionError("no .o files under " + dir());
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code .o} files directly in the catalog directory (not its subdirectories), sorted; fails when none. */
    public static List<Path> topLevel() {
        try (Stream<Path> s = Files.list(dir())) {
            List<Path> objects = s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
            if (objects.isEmpty()) {
                throw new AssertionError("no .o files in " + dir());
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
