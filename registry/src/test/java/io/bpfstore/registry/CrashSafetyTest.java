package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.store.image.Digest;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads cut off mid-stream (client disconnects, server crashes) leave no blob and no visible state. */
class CrashSafetyTest {
    static final String REPO = "examples/app";

    @TempDir
    Path tmp;
    Path data;
    TestRegistry registry;
    String push;
    byte[] blob;

    @BeforeEach
    void start() throws Exception {
        data = tmp.resolve("data");
        String key = TestRegistry.createPublisher(data, "alice", "examples");
        registry = TestRegistry.start(data, TestRegistry.config(data));
        push = registry.token("repository:" + REPO + ":pull,push", "alice", key);
        blob = new byte[400_000];
        new Random(7).nextBytes(blob);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    /** Sends the request head and part of the declared body, then resets the connection. */
    private void sendHalfAndReset(String method, String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", registry.server.port())) {
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + registry.hostPort() + "\r\n"
                    + "Authorization: Bearer " + push + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + blob.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(blob, 0, blob.length / 3);
            out.flush();
            Thread.sleep(200); // let the server start consuming the body
            s.setSoLinger(true, 0); // close with RST, as a crashed client would
        }
    }

    private List<Path> files(String dir) throws Exception {
        try (Stream<Path> s = Files.walk(data.resolve(dir))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private void awaitNoStagedPuts() throws Exception {
        for (int i = 0; i < 100 && !files("blobs/uploads").isEmpty(); i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void monolithicUploadCutOffLeavesNothing() throws Exception {
        sendHalfAndReset("POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + Digest.of(blob));
        awaitNoStagedPuts();
        assertEquals(List.of(), files("blobs/uploads"), "staged bytes removed");
        assertEquals(List.of(), files("blobs/sha256"), "no blob published");
        assertEquals(404, registry.send("HEAD", "/v2/" + REPO + "/blobs/" + Digest.of(blob), push, null, null)
                .statusCode());
        // The same upload then succeeds.
        assertEquals(201, registry.pushBlob(REPO, blob, push));
    }

    @Test
    void chunkCutOffLeavesTheSessionWhereItWas() throws Exception {
        HttpResponse<byte[]> r = registry.send("POST", "/v2/" + REPO + "/blobs/uploads/", push, null, null);
        String location = r.headers().firstValue("Location").orElseThrow();
        sendHalfAndReset("PATCH", location);
        HttpResponse<byte[]> status = null;
        for (int i = 0; i < 100; i++) { // the server notices the reset asynchronously
            status = registry.send("GET", location, push, null, null);
            if (status.statusCode() == 204) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(204, status.statusCode());
        assertEquals("0-0", status.headers().firstValue("Range").orElseThrow(), "no partial chunk accepted");
        assertEquals(List.of(), files("blobs/sha256"));
        r = registry.send("PATCH", location, push, "application/octet-stream", blob);
        assertEquals(202, r.statusCode());
        r = registry.send("PUT", location + "?digest=" + Digest.of(blob), push, null, null);
        assertEquals(201, r.statusCode(), "the debris of the cut chunk did not corrupt the blob");
        assertEquals(400_000, registry.send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(blob), push, null, null)
                .body().length);
    }

    @Test
    void debrisOfAServerCrashIsNeverVisibleAndIsSweptAtStart() throws Exception {
        registry.close();
        // What a crash between write and rename leaves: a complete-looking staged file.
        Path debris = data.resolve("blobs/uploads/put-" + "0".repeat(8));
        Files.write(debris, blob);
        registry = TestRegistry.start(data, TestRegistry.config(data));
        assertFalse(Files.exists(debris));
        assertEquals(404, registry.send("HEAD", "/v2/" + REPO + "/blobs/" + Digest.of(blob), push, null, null)
                .statusCode());
        assertTrue(files("blobs/sha256").isEmpty());
    }
}
