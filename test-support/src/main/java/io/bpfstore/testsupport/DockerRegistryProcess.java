package io.bpfstore.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI distribution registry, the reference implementation (Debian's {@code docker-registry}, distribution
 * 2.8), on a free loopback port with filesystem storage and deletes enabled under a test's directory. Interop tests
 * push to and pull from it to check our client and server against the real thing. Closing stops the process.
 */
public final class DockerRegistryProcess implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final long START_SECONDS = 20;

    private final Process process;
    private final int port;
    private final Path storage;

    private DockerRegistryProcess(Process process, int port, Path storage) {
        this.process = process;
        this.port = port;
        this.storage = storage;
    }

    /**
     * Starts the registry storing under {@code dir} (config {@code registry.yml}, log {@code registry.log}, data
     * {@code storage/}) and waits until it answers {@code GET /v2/} with 200. Fails the test if the binary is missing
     * or the registry exits or does not answer within 20 s; the failure carries its log.
     */
    public static DockerRegistryProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, "");
    }

    /**
     * Like {@link #start(Path)}, but every request needs HTTP Basic credentials {@code user}/{@code password}
     * (distribution's htpasswd auth; the bcrypt hash is made by {@code htpasswd} of Debian's apache2-utils).
     */
    public static DockerRegistryProcess startWithBasicAuth(Path dir, String user, String password)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path htpasswd = dir.resolve("htpasswd");
        Process p = new ProcessBuilder("htpasswd", "-Bbn", user, password).redirectErrorStream(true).start();
        byte[] line = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new AssertionError("htpasswd (Debian package apache2-utils) failed: " + new String(line));
        }
        Files.write(htpasswd, line);
        return start(dir, """
                auth:
                  htpasswd:
                    realm: bpfstore-test
                    path: %s
                """.formatted(htpasswd));
    }

    private static DockerRegistryProcess start(Path dir, String extraConfig) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " missing (Debian package docker-registry; scripts/setup installs it)");
        }
        int port = FreePort.onLoopback();
        Path storage = dir.resolve("storage");
        Files.createDirectories(storage);
        Path config = dir.resolve("registry.yml");
        Path log = dir.resolve("registry.log");
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
                """.formatted(storage, port) + extraConfig);
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        DockerRegistryProcess registry = new DockerRegistryProcess(process, port, storage);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (true) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 || (!extraConfig.isEmpty() && r.statusCode() == 401)) {
                    return registry;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                registry.close();
                throw new AssertionError("docker-registry did not start on port " + port + ": "
                        + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

    /** The port it listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:PORT}, as skopeo's {@code docker://} references want it. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Where the registry keeps blob {@code hex} on disk (distribution's filesystem layout), for tamper tests. */
    public Path blobFile(String hex) {
        return storage.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

    /** Stops the registry: politely, then forcibly after 10 s. */
    @Override
    public void close() {
        ExternalTool.stop(process);
    }
}
