package io.bpfstore.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program (an oracle such as llvm-objdump, bpftool, skopeo, openssl, or a build tool such as clang)
 * to completion for a test. A missing program, a hang or (with {@link #output}) a non-zero exit fails the test loudly:
 * CI installs every tool, so skipping would hide a broken setup.
 */
public final class ExternalTool {
    /** Long enough for clang on a loaded 2-core CI machine, short enough that a hung tool does not stall the build. */
    private static final long TIMEOUT_SECONDS = 120;

    private ExternalTool() {
    }

    /**
     * Stops a server a test started (docker-registry, Prometheus): SIGTERM, then SIGKILL if it is still running
     * after 10 s; waits up to 10 s more for it to exit.
     */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code command} with stdin closed and returns how it ended, whatever its exit status. */
    public static ToolResult run(String... command) {
        return run(null, List.of(command));
    }

    /** Runs {@code command} with stdin closed and returns how it ended, whatever its exit status. */
    public static ToolResult run(List<String> command) {
        return run(null, command);
    }

    /**
     * Runs {@code command} in {@code directory} (null: the current directory) with stdin closed and returns how it
     * ended, whatever its exit status. Stderr is drained in the background so that a chatty tool cannot block on a
     * full pipe while we read stdout.
     */
    public static ToolResult run(Path directory, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile()));
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.getFirst()
                    + " (is it installed? scripts/setup installs it): " + e.getMessage(), e);
        }
        try {
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
            byte[] out = drain(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS
                        + " s");
            }
            return new ToolResult(command, process.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Runs {@code command} and returns its standard output; fails the test on a non-zero exit. */
    public static String output(String... command) {
        return run(command).requireSuccess().out();
    }

    /** Runs {@code command} and returns its standard output; fails the test on a non-zero exit. */
    public static String output(List<String> command) {
        return run(command).requireSuccess().out();
    }

    /**
     * The executable {@code name} found on {@code PATH}; fails the test, naming the Debian package to install, when
     * there is none.
     */
    public static Path require(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not installed; tests compare against it (scripts/setup installs it)");
    }

    private static byte[] drain(InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            // The process died under us; what it printed so far is all there is, and its exit status tells the rest.
            return new byte[0];
        }
    }
}
