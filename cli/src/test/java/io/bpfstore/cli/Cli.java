package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Runs the CLI in-process, and oracle tools out of process, for tests. */
final class Cli {
    /** What a run printed and returned. */
    record Result(int exit, String out, String err) {
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    static Path objectsDir() {
        String dir = System.getProperty("bpf.objects");
        assertTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "system property bpf.objects must name the compiled example catalog; got " + dir);
        return Path.of(dir);
    }

    /** Every example object, recursively (catalog, rejected, toolchain variants). */
    static List<Path> objects() {
        try (Stream<Path> s = Files.walk(objectsDir())) {
            List<Path> all = s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
            assertFalse(all.isEmpty(), "no objects under " + objectsDir());
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs an oracle tool; fails the test on a non-zero exit. */
    static String tool(String... command) {
        try {
            Process p = new ProcessBuilder(command).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + " (scripts/setup installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
