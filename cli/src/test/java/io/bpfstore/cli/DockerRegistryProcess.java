package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI registry for CLI tests: Debian's {@code docker-registry} (distribution 2.8) on a free loopback port,
 * storing in {@code dir}. Closing stops the process.
 */
final class DockerRegistryProcess implements AutoCloseable {
    private final Process process;
    private final String url;

    private DockerRegistryProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts the registry and waits until it answers {@code /v2/}. */
    static DockerRegistryProcess start(Path dir) throws Exception {
        Path binary = Path.of("/usr/bin/docker-registry");
        assertTrue(Files.isExecutable(binary), "docker-registry missing (Debian package docker-registry)");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("registry.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port));
        Process process = new ProcessBuilder(binary.toString(), "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile()).start();
        DockerRegistryProcess registry = new DockerRegistryProcess(process, "http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 400; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(registry.url + "/v2/")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return registry;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited: " + Files.readString(dir.resolve("log")));
            }
            Thread.sleep(50);
        }
        registry.close();
        throw new AssertionError("docker-registry did not answer");
    }

    /** {@code http://127.0.0.1:PORT}. */
    String url() {
        return url;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
