package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.bpfstore.store.client.Authenticator;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.image.Digest;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 6: a request refused before its body is read (a 401 to an anonymous upload) leaves the connection
 * in a clean state. On a raw socket: a PUT with a large body and no credentials gets its whole 401, and then either
 * the connection ends after that response ({@code Connection: close}) or the next request on it is answered
 * correctly — never a hang, never the rest of the body read as the next request.
 */
class UnreadBodyTest {
    private static final int BODY = 8 << 20;

    @TempDir
    Path dir;

    private TestRegistry registry;

    @BeforeEach
    void start() throws Exception {
        TestRegistry.createPublisher(dir, "alice", "ns");
        registry = TestRegistry.start(dir, TestRegistry.config(dir));
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    @Test
    void anAnonymousUploadWithALargeBodyGetsItsWholeRefusalAndACleanConnection() throws Exception {
        for (String request : new String[] {
                "PUT /v2/ns/pkg/blobs/uploads/0123456789abcdef?digest=sha256:" + "0".repeat(64),
                "POST /v2/ns/pkg/blobs/uploads/",
                "PATCH /v2/ns/pkg/blobs/uploads/0123456789abcdef",
                "PUT /v2/ns/pkg/manifests/1.0.0"}) {
            refusedThenClean(request);
        }
    }

    /**
     * The store client's side: an upload sent before it holds a token carries its body into a 401 and a closed
     * connection; the client authenticates, sends it again on a fresh connection and keeps working.
     */
    @Test
    void theStoreClientRetriesABodyRefusedWith401OnAFreshConnection() throws Exception {
        String token = TestRegistry.createPublisher(dir, "bob", "bobns");
        Authenticator auth = new Authenticator(Authenticator.defaultClient(),
                Optional.of(new Credentials("bob", token)));
        byte[] blob = new byte[BODY];
        new java.util.Random(17).nextBytes(blob);
        String digest = Digest.of(blob).toString();
        String scope = "repository:bobns/pkg:pull,push";
        for (int round = 0; round < 3; round++) {
            HttpResponse<InputStream> r = auth.send("upload", scope, a -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(registry.uri("/v2/bobns/pkg/blobs/uploads/?digest="
                        + digest)).header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(blob));
                a.ifPresent(v -> b.header("Authorization", v));
                return b.build();
            });
            try (InputStream body = r.body()) {
                assertEquals(201, r.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            auth = round == 0 ? auth : new Authenticator(auth.http(), auth.credentials());  // again without a token
        }
        HttpResponse<InputStream> head = auth.send("check", scope, a -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(registry.uri("/v2/bobns/pkg/blobs/" + digest))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody());
            a.ifPresent(v -> b.header("Authorization", v));
            return b.build();
        });
        head.body().close();
        assertEquals(200, head.statusCode());
    }

    private void refusedThenClean(String requestLine) throws Exception {
        try (Socket s = new Socket("127.0.0.1", registry.server.port())) {
            s.setSoTimeout(20_000);  // a hang fails the test instead of stalling it
            OutputStream out = s.getOutputStream();
            out.write((requestLine + " HTTP/1.1\r\nHost: " + registry.hostPort()
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + BODY + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the body goes out from another thread: a server that neither reads nor closes would block it
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
                byte[] chunk = new byte[64 << 10];
                long n = 0;
                try {
                    while (n < BODY) {
                        out.write(chunk);
                        n += chunk.length;
                    }
                    out.flush();
                } catch (IOException closed) {
                    // the server closed after its refusal: the rest of the body has nowhere to go
                }
                return n;
            });
            InputStream in = s.getInputStream();
            Response first = Response.read(in);
            assertEquals(401, first.status(), requestLine + ": " + first.head());
            assertTrue(first.body().contains("UNAUTHORIZED"), first.body());
            long bodySent = sent.get(30, TimeUnit.SECONDS);
            if (first.closes()) {
                int next;
                try {
                    next = in.read();
                } catch (java.net.SocketException reset) {
                    next = -1;  // a reset after the whole response is still a closed connection
                }
                assertEquals(-1, next, requestLine + ": nothing follows a Connection: close response");
            } else {
                assertEquals(BODY, bodySent, "a connection kept open must have taken the whole body");
                out.write(("GET /v2/ HTTP/1.1\r\nHost: " + registry.hostPort() + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Response second = Response.read(in);
                assertEquals(401, second.status(), "the next request on the connection is answered: " + second.head());
                assertTrue(second.head().toLowerCase(Locale.ROOT).contains("www-authenticate: bearer"), second.head());
            }
        }
    }

    /** One HTTP/1.1 response read off the socket: the status, the head and a Content-Length body. */
    record Response(int status, String head, String body) {
        boolean closes() {
            return head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close");
        }

        static Response read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed before the response head ended: " + head);
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(text.substring(9, 12));
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            byte[] body = in.readNBytes(length);
            assertEquals(length, body.length, "the whole refusal arrives: " + text);
            return new Response(status, text, new String(body, StandardCharsets.UTF_8));
        }
    }
}
