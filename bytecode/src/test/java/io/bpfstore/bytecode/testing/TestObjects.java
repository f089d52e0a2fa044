package io.bpfstore.bytecode.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Finds the compiled example objects and runs oracle tools for tests. */
public final class TestObjects {
    private TestObjects() {
    }

    /** The directory the build compiles the example catalog into (system property {@code bpf.objects}). */
    public static Path objectsDir() {
        String dir = System.getProperty("bpf.objects");
        assertTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "system property bpf.objects must name the compiled example catalog; got " + dir);
        return Path.of(dir);
    }

    /** Every {@code .o} under {@link #objectsDir()}, recursively, sorted; fails if there is none. */
    public static List<Path> all() {
        try (Stream<Path> s = Files.walk(objectsDir())) {
            List<Path> objects = s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
            assertFalse(objects.isEmpty(), "no .o files under " + objectsDir());
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command, returns its standard output; fails the test on a non-zero exit. */
    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + " (is it installed? scripts/setup installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
