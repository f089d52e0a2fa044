package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.testsupport.ExternalTool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} as a real process with its blobs in a docker-registry, an access log and a drain timeout: ready
 * through {@code /readyz}, and on SIGTERM an upload in flight finishes before the process exits.
 */
class ServeDrainTest extends DockerRegistryCommandTest {

    @Test
    void sigtermFinishesAnUploadInFlightWithBlobsInAnOciRegistry() throws Exception {
        Path data = dir.resolve("data");
        String token = Cli.run("publisher", "create", "alice", "--namespace", "examples", "--data", data.toString())
                .out().strip();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("access.log");
        String blobs = "oci+" + REGISTRY.url() + "/bpfstore/blobs-" + UUID.randomUUID().toString().substring(0, 8);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process serve = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.bpfstore.cli.Main", "serve", "--listen", "127.0.0.1:" + port,
                "--data", data.toString(), "--blobs", blobs, "--access-log", log.toString(), "--drain-timeout", "20s")
                .redirectError(dir.resolve("serve.err").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertEquals("bpfstore registry listening on http://127.0.0.1:" + port + " (data " + data.toAbsolutePath()
                    + ", blobs " + blobs + ")", first, () -> first + " / " + read(dir.resolve("serve.err")));
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            HttpResponse<String> tok = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/token?service=bpfstore&scope=repository:examples/hello:pull,push")).header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(("alice:" + token).getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String bearer = new ObjectMapper().readTree(tok.body()).path("token").asText();
            String location = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/examples/hello/blobs/uploads/"))
                    .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).headers().firstValue("Location").orElseThrow();

            byte[] chunk = new byte[200_000];
            try (Socket slow = new Socket("127.0.0.1", port)) {
                OutputStream o = slow.getOutputStream();
                o.write(("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + bearer
                        + "\r\nContent-Length: " + chunk.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                o.write(chunk, 0, chunk.length / 2);
                o.flush();
                Thread.sleep(300);
                ExternalTool.output("kill", "-TERM", Long.toString(serve.pid()));
                Thread.sleep(700);
                assertTrue(serve.isAlive(), "the process waits for the upload in flight");
                o.write(chunk, chunk.length / 2, chunk.length - chunk.length / 2);
                o.flush();
                String status = new String(slow.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 202", status, "the upload in flight finished");
            }
            assertTrue(serve.waitFor(20, TimeUnit.SECONDS), "stops once drained");
            assertEquals(143, serve.exitValue());
            List<String> lines = Files.readAllLines(log);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"PATCH " + location + " HTTP/1.1\" 202")),
                    String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"GET /readyz HTTP/1.1\" 200")), String.join("\n", lines));
        } finally {
            serve.destroyForcibly();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
