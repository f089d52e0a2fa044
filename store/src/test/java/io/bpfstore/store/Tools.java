package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Oracle tools (skopeo, tar, llvm-objcopy) and test inputs (the example catalog). */
public final class Tools {
    /** What a tool printed. */
    public record Output(int exit, String out, String err) {
    }

    private Tools() {
    }

    public static Path objectsDir() {
        String dir = System.getProperty("bpf.objects");
        assertTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "system property bpf.objects must name the compiled example catalog; got " + dir);
        return Path.of(dir);
    }

    /** Every example object, recursively. */
    static List<Path> objects() {
        try (Stream<Path> s = Files.walk(objectsDir())) {
            List<Path> all = s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
            assertFalse(all.isEmpty(), "no objects under " + objectsDir());
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a tool; a missing tool fails the test (CI installs them). */
    public static Output run(String... command) {
        try {
            Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
            return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + " (scripts/setup installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a tool that must succeed; returns its stdout. */
    public static String tool(String... command) {
        Output o = run(command);
        if (o.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + o.exit() + ": " + o.err());
        }
        return o.out();
    }

    /** A free TCP port on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
