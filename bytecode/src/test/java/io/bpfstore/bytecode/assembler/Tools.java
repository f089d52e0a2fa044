package io.bpfstore.bytecode.assembler;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs the LLVM tools the tests use as oracles; a missing tool or a failing run fails the test. */
final class Tools {
    private Tools() {
    }

    /** Runs {@code command} and returns its standard output. */
    static String run(String... command) {
        try {
            Path out = Files.createTempFile("oracle-out", ".txt");
            Path err = Files.createTempFile("oracle-err", ".txt");
            try {
                Process p;
                try {
                    p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                } catch (IOException e) {
                    return fail("oracle " + command[0] + " is missing (scripts/setup installs it): " + e.getMessage());
                }
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return fail(String.join(" ", command) + " did not finish within 120 s");
                }
                if (p.exitValue() != 0) {
                    return fail(String.join(" ", command) + " exited with " + p.exitValue() + ":\n"
                            + Files.readString(err, StandardCharsets.UTF_8));
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
