package io.bpfstore.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus server (Debian's {@code prometheus}, 2.42) on a free loopback port, storing under a test's
 * directory and scraping the given targets every second. Tests ask it PromQL questions over its HTTP API to check
 * that what bpfstore exports is what Prometheus understands. Closing stops the process.
 */
public final class PrometheusProcess implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final long START_SECONDS = 30;

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts Prometheus scraping {@code targets} (job name to {@code host:port}, path {@code /metrics}) every second,
     * and waits until it is ready. Fails the test if the binary is missing or it does not become ready in 30 s.
     */
    public static PrometheusProcess start(Path dir, Map<String, String> targets) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " missing (Debian package prometheus; scripts/setup installs it)");
        }
        Files.createDirectories(dir);
        int port = FreePort.onLoopback();
        String jobs = targets.entrySet().stream().map(e -> """
                  - job_name: %s
                    static_configs:
                      - targets: ['%s']
                """.formatted(e.getKey(), e.getValue())).collect(Collectors.joining());
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                """ + jobs);
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusProcess p = new PrometheusProcess(process, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited: " + Files.readString(log));
            }
            try {
                if (p.get("/-/ready").statusCode() == 200) {
                    return p;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        p.close();
        throw new AssertionError("prometheus not ready in " + START_SECONDS + " s: " + Files.readString(log));
    }

    /** The JSON answer of an instant PromQL query ({@code /api/v1/query}). */
    public String query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new AssertionError("query " + promql + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** The JSON of {@code /api/v1/targets} (scrape health of each target). */
    public String targets() throws IOException, InterruptedException {
        return get("/api/v1/targets").body();
    }

    /** Prometheus's log so far (for failure messages). */
    public String log() throws IOException {
        return Files.readString(log);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        ExternalTool.stop(process);
    }

}
