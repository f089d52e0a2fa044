package io.bpfstore.registry;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Debian's docker-registry (the reference implementation) on a free loopback port, for interop tests. */
final class DockerRegistry implements AutoCloseable {
    final int port;
    private final Process process;

    private DockerRegistry(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static DockerRegistry start(Path dir) throws Exception {
        Path binary = Tools.require("docker-registry");
        int port = Tools.freePort();
        Path config = dir.resolve("config.yml");
        Files.createDirectories(dir.resolve("storage"));
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port));
        Process p = new ProcessBuilder(binary.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                probe.shutdownOutput();
                return new DockerRegistry(port, p);
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new AssertionError("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
                }
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("docker-registry did not listen on " + port);
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
