package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.registry.server.BlobLocation;
import io.bpfstore.registry.server.Operations;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.storage.oci.OciBlobLocation;
import io.bpfstore.testsupport.DockerRegistryProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes, the access log and the graceful stop, over HTTP. */
class OperationsTest {
    /** Common Log Format: host ident user [time] "request" status bytes. */
    static final Pattern CLF = Pattern.compile(
            "\\S+ - \\S+ \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] \"([A-Z]+) (\\S+) HTTP/1\\.1\" (\\d{3}) (\\d+|-)");
    static final String REPO = "examples/app";

    @TempDir
    Path tmp;

    @Test
    void healthzIsLivenessAndReadyzFollowsTheBlobStore() throws Exception {
        Path data = tmp.resolve("data");
        DockerRegistryProcess backend = DockerRegistryProcess.start(Files.createDirectories(tmp.resolve("backend")));
        RegistryConfig config = TestRegistry.config(data).withBlobs(new BlobLocation.Registry(
                OciBlobLocation.parse("oci+" + backend.url() + "/bpfstore/blobs", Optional.empty())));
        try (TestRegistry registry = TestRegistry.start(data, config)) {
            assertEquals(200, registry.send("GET", "/healthz", null, null, null).statusCode());
            assertEquals(200, registry.send("GET", "/readyz", null, null, null).statusCode());
            assertEquals(405, registry.send("POST", "/readyz", null, null, null).statusCode());
            backend.close();
            HttpResponse<byte[]> notReady = registry.send("GET", "/readyz", null, null, null);
            assertEquals(503, notReady.statusCode());
            String why = new String(notReady.body(), StandardCharsets.UTF_8);
            assertTrue(why.contains("blob store") && why.contains("connection refused"), why);
            assertEquals(200, registry.send("GET", "/healthz", null, null, null).statusCode(),
                    "alive though not ready: no restart for a storage outage");
        } finally {
            backend.close();
        }
    }

    @Test
    void accessLogHasOneCommonLogFormatLinePerRequest() throws Exception {
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("logs/access.log");
        RegistryConfig config = TestRegistry.config(data)
                .withOperations(new Operations(Optional.of(log.toString()), Duration.ofSeconds(5)));
        try (TestRegistry registry = TestRegistry.start(data, config)) {
            registry.send("GET", "/v2/", null, null, null);
            registry.send("GET", "/healthz", null, null, null);
            registry.send("GET", "/v2/examples/app/tags/list?n=1", null, null, null);
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(3, lines.size(), String.join("\n", lines));
        List<String> seen = lines.stream().map(l -> {
            var m = CLF.matcher(l);
            assertTrue(m.matches(), "not Common Log Format: " + l);
            return m.group(1) + " " + m.group(2) + " " + m.group(3);
        }).toList();
        assertEquals(List.of("GET /v2/ 401", "GET /healthz 200", "GET /v2/examples/app/tags/list?n=1 404"), seen);
    }

    @Test
    void stopFinishesAnUploadInFlightAndRefusesNewRequests() throws Exception {
        Path data = tmp.resolve("data");
        String key = TestRegistry.createPublisher(data, "alice", "examples");
        RegistryConfig config = TestRegistry.config(data)
                .withOperations(new Operations(Optional.empty(), Duration.ofSeconds(20)));
        byte[] chunk = new byte[100_000];
        TestRegistry registry = TestRegistry.start(data, config);
        int port = registry.server.port();
        String location;
        CompletableFuture<Void> stopping;
        try (Socket slow = new Socket("127.0.0.1", port)) {
            String push = registry.token("repository:" + REPO + ":pull,push", "alice", key);
            location = registry.send("POST", "/v2/" + REPO + "/blobs/uploads/", push, null, null).headers()
                    .firstValue("Location").orElseThrow();
            OutputStream out = slow.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + push
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + chunk.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(chunk, 0, chunk.length / 2);
            out.flush();
            Thread.sleep(300); // the request is being handled, its body half read
            stopping = CompletableFuture.runAsync(registry::close);
            Thread.sleep(500);
            boolean refused;
            try (Socket late = new Socket("127.0.0.1", port)) {
                late.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String status = new String(late.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                refused = status.isEmpty() || status.endsWith("503");
            } catch (java.io.IOException e) {
                refused = true; // connection refused: the connector no longer accepts
            }
            assertTrue(refused, "a new request while draining is refused");
            assertTrue(!stopping.isDone(), "the stop waits for the upload in flight");
            out.write(chunk, chunk.length / 2, chunk.length - chunk.length / 2);
            out.flush();
            InputStream in = slow.getInputStream();
            String response = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 202", response, "the upload in flight finished");
        }
        stopping.get(20, TimeUnit.SECONDS);
        // the chunk was recorded before the data directory closed
        try (TestRegistry again = TestRegistry.start(data, TestRegistry.config(data))) {
            String push = again.token("repository:" + REPO + ":pull,push", "alice", key);
            HttpResponse<byte[]> r = again.send("GET", location, push, null, null);
            assertEquals(204, r.statusCode());
            assertEquals("0-" + (chunk.length - 1), r.headers().firstValue("Range").orElseThrow());
        }
    }

    @Test
    void theDrainIsBoundedByItsTimeout() throws Exception {
        Path data = tmp.resolve("data");
        String key = TestRegistry.createPublisher(data, "alice", "examples");
        RegistryConfig config = TestRegistry.config(data)
                .withOperations(new Operations(Optional.empty(), Duration.ofSeconds(1)));
        TestRegistry registry = TestRegistry.start(data, config);
        int port = registry.server.port();
        try (Socket stuck = new Socket("127.0.0.1", port)) {
            String push = registry.token("repository:" + REPO + ":pull,push", "alice", key);
            String location = registry.send("POST", "/v2/" + REPO + "/blobs/uploads/", push, null, null).headers()
                    .firstValue("Location").orElseThrow();
            stuck.getOutputStream().write(("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + push + "\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            stuck.getOutputStream().write(new byte[1000]); // and never the rest
            stuck.getOutputStream().flush();
            Thread.sleep(300);
            long start = System.nanoTime();
            registry.close();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(seconds < 10, "the stop gave up on the stuck upload after its drain timeout: " + seconds + " s");
        }
    }
}
