package io.bpfstore.kernel.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external programs the kernel layer is compared with (bpftool, a C compiler) and checks the
 * preconditions of kernel tests. Everything missing fails the test loudly; nothing is skipped.
 */
public final class Oracles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Oracles() {
    }

    /** Fails unless the tests run as root: loading programs needs CAP_BPF/CAP_SYS_ADMIN (CI runs as root). */
    public static void requireRoot() {
        String uid;
        try {
            uid = run(List.of("id", "-u")).trim();
        } catch (RuntimeException e) {
            throw new AssertionError("cannot determine the uid (id -u): " + e.getMessage(), e);
        }
        if (!"0".equals(uid)) {
            fail("kernel tests need root (CAP_BPF, CAP_SYS_ADMIN); they run as uid " + uid
                    + ". Run them as root (CI does); they do not skip.");
        }
    }

    /** Runs {@code bpftool --json <args>} and parses its output. */
    public static JsonNode bpftool(String... args) {
        List<String> command = new ArrayList<>(List.of("bpftool", "--json"));
        command.addAll(List.of(args));
        try {
            return JSON.readTree(run(command));
        } catch (IOException e) {
            throw new AssertionError("bpftool printed something that is not JSON: " + e.getMessage(), e);
        }
    }

    /** Runs a command, returns its standard output, fails on a non-zero exit or a missing binary. */
    public static String run(List<String> command) {
        return run(command, null);
    }

    /** Runs a command in {@code directory}, returns its standard output, fails on a non-zero exit. */
    public static String run(List<String> command, Path directory) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            Process process = builder.start();
            process.getOutputStream().close();
            // Read stderr in the background so that a chatty tool cannot block on a full pipe.
            StringBuilder errText = new StringBuilder();
            Thread errReader = Thread.ofVirtual().start(() -> {
                try {
                    errText.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process ended; what was read is kept
                }
            });
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within 120 s");
            }
            errReader.join();
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " exited with " + process.exitValue() + ": "
                        + errText);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.getFirst() + " (the CI installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}
