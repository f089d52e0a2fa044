package io.bpfstore.store.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token flow when a refusal never reaches the client: a registry that refuses an anonymous upload before
 * reading its body and closes with the body unread makes its kernel reset the connection, and the reset can discard
 * the 401. This server does exactly that, every time (SO_LINGER 0: a reset, no response at all), so the client's
 * way around it is tested deterministically: it asks {@code GET /v2/} for the challenge and sends once more.
 */
class AuthenticatorTest {
    private ServerSocket server;
    private Thread loop;
    /** Request lines seen, with "+auth" when an Authorization header came. */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private volatile boolean baseAnswersChallenge = true;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        loop = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        loop.join();
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String line = head.substring(0, head.indexOf("\r\n"));
                boolean auth = head.toLowerCase().contains("\r\nauthorization: bearer good");
                seen.add(line + (auth ? " +auth" : ""));
                OutputStream out = s.getOutputStream();
                if (line.startsWith("PUT ") && !auth) {
                    s.setSoLinger(true, 0);  // close with the body unread: a reset, the client reads nothing
                    return;
                }
                if (line.startsWith("PUT ")) {
                    in.readNBytes(contentLength(head));
                    reply(out, "201 Created", "", "");
                } else if (line.startsWith("GET /v2/ ")) {
                    reply(out, "401 Unauthorized", baseAnswersChallenge ? "WWW-Authenticate: Bearer realm=\"http://"
                            + hostPort() + "/token\",service=\"test\"\r\n" : "", "{}");
                } else if (line.startsWith("GET /token")) {
                    reply(out, "200 OK", "Content-Type: application/json\r\n", "{\"token\":\"good\"}");
                } else {
                    reply(out, "404 Not Found", "", "");
                }
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static void reply(OutputStream out, String status, String headers, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: " + b.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String h : head.split("\r\n")) {
            if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                return Integer.parseInt(h.substring(15).strip());
            }
        }
        return 0;
    }

    private String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private HttpResponse<InputStream> upload(Authenticator auth) {
        byte[] body = new byte[1 << 20];
        return auth.send("upload", "repository:ns/pkg:pull,push", a -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + hostPort() + "/v2/ns/pkg/blobs/x"))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
            a.ifPresent(v -> b.header("Authorization", v));
            return b.build();
        });
    }

    @Test
    void anUploadWhoseRefusalWasLostInAResetIsSentAgainWithTheTokenTheBaseEndpointAsksFor() throws Exception {
        Authenticator auth = new Authenticator(Authenticator.defaultClient(), Optional.empty());
        HttpResponse<InputStream> r = upload(auth);
        r.body().close();
        assertEquals(201, r.statusCode());
        assertEquals(List.of("PUT /v2/ns/pkg/blobs/x HTTP/1.1", "GET /v2/ HTTP/1.1",
                "GET /token?service=test&scope=repository%3Ans%2Fpkg%3Apull%2Cpush HTTP/1.1",
                "PUT /v2/ns/pkg/blobs/x HTTP/1.1 +auth"), seen);
        // the token is kept: the next upload goes with it at once
        seen.clear();
        upload(auth).body().close();
        assertEquals(List.of("PUT /v2/ns/pkg/blobs/x HTTP/1.1 +auth"), seen);
    }

    @Test
    void withoutAChallengeToAnswerTheTransportErrorIsTheOneReported() {
        baseAnswersChallenge = false;
        Authenticator auth = new Authenticator(Authenticator.defaultClient(), Optional.empty());
        RegistryException e = assertThrows(RegistryException.class, () -> upload(auth));
        assertTrue(e.getMessage().contains("cannot reach http://" + hostPort()), e.getMessage());
        assertEquals(List.of("PUT /v2/ns/pkg/blobs/x HTTP/1.1", "GET /v2/ HTTP/1.1"), seen);
    }
}
