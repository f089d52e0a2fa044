package io.bpfstore.bytecode.asm;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the LLVM command-line tools the tests use as oracles and builders; a missing tool fails the test. */
final class LlvmTools {
    private LlvmTools() {
    }

    /** Runs {@code command} and returns its standard output; fails the test on a non-zero exit. */
    static String run(String... command) {
        Path err;
        Path out;
        try {
            out = Files.createTempFile("llvm-out", ".txt");
            err = Files.createTempFile("llvm-err", ".txt");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                return fail("oracle/build tool " + command[0] + " is missing (install it: see scripts/setup): "
                        + e.getMessage());
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fail(String.join(" ", command) + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                return fail(String.join(" ", command) + " exited with " + p.exitValue() + ":\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // temporary files; the OS cleans up
            }
        }
    }

    /** Runs a command given as a list. */
    static String run(List<String> command) {
        return run(command.toArray(String[]::new));
    }

    /** {@code first} followed by {@code rest}. */
    static List<String> command(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
