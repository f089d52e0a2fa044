package io.bpfstore.store.signing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs oracle tools (openssl, skopeo); a missing tool fails the test (scripts/setup installs them). */
final class Oracle {
    /** What a tool printed. */
    record Output(int exit, String out, String err) {
    }

    private Oracle() {
    }

    static Output run(String... command) {
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
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
            return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + " (scripts/setup installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String tool(String... command) {
        Output o = run(command);
        if (o.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + o.exit() + ": " + o.err());
        }
        return o.out();
    }
}
