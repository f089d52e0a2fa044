package io.bpfstore.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the oracle binaries (skopeo, docker-registry) for tests; a missing binary fails loudly. */
final class Tools {
    private Tools() {
    }

    /** Output and exit code of a finished command. */
    record Result(int exit, String output) {
    }

    static Path require(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(binary + " is not installed; the registry tests compare against it"
                + " (Debian package: " + binary + ")");
    }

    static Result run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, require(command[0]).toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs and fails the test unless the command exits 0; returns its output. */
    static String ok(String... command) throws IOException, InterruptedException {
        Result r = run(command);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exit() + ":\n" + r.output());
        }
        return r.output();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
