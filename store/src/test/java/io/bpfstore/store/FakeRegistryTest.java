package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.DigestMismatchException;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.client.BearerChallenge;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.client.RegistryException;
import io.bpfstore.testsupport.ExampleObjects;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a deliberately misbehaving registry on 127.0.0.1 (com.sun.net.httpserver): the bearer
 * token flow, wrong and truncated blobs, and OCI error bodies. A fake is the only way to make a registry lie.
 */
class FakeRegistryTest {
    /** How the fake serves blobs. */
    enum BlobMode { GOOD, WRONG_CONTENT, SHORT, BROKEN_OFF, HUGE_MANIFEST }

    private static final Credentials PUBLISHER = new Credentials("examples", "s3cret-api-token");
    private HttpServer server;
    private Image image;
    private volatile BlobMode mode = BlobMode.GOOD;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> uploads = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        // served as ns/pkg at 1.0.0, so its label must say so (a pull checks the package it gets)
        try {
            image = ImageEdits.withIdentity(PackageBuilder.build(Optional.of(ExampleObjects.dir()
                    .resolve("xdp_counter.o")), Optional.empty(), List.of()), "pkg", "1.0.0");
        } catch (Exception e) {
            throw new IOException(e);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String auth = x.getRequestHeaders().getFirst("Authorization");
            log.add(x.getRequestMethod() + " " + x.getRequestURI() + (auth == null ? "" : " [" + auth.split(" ")[0] + "]"));
            if (path.equals("/token")) {
                if (!PUBLISHER.basic().equals(auth)) {
                    send(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                    return;
                }
                send(x, 200, "{\"token\":\"tok-1\",\"access_token\":\"tok-1\",\"expires_in\":300}");
                return;
            }
            if (!"Bearer tok-1".equals(auth)) {
                x.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + url()
                        + "/token\",service=\"bpfstore\",scope=\"repository:ns/pkg:pull,push\"");
                send(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
                return;
            }
            if (path.startsWith("/v2/ns/pkg/manifests/") && x.getRequestMethod().equals("GET")) {
                // Serves its one manifest for any tag or digest: a lying registry.
                x.getResponseHeaders().add("Content-Type", image.manifest().mediaType());
                if (mode == BlobMode.HUGE_MANIFEST) {
                    byte[] huge = new byte[RegistryClient.MAX_MANIFEST + 10];
                    java.util.Arrays.fill(huge, (byte) ' ');
                    sendBytes(x, 200, huge);
                    return;
                }
                x.getResponseHeaders().add("Docker-Content-Digest", image.digest().toString());
                sendBytes(x, 200, image.manifestBytes());
            } else if (path.startsWith("/v2/ns/pkg/blobs/sha256:") && x.getRequestMethod().equals("GET")) {
                byte[] blob = image.blobs().get(Digest.parse(path.substring(path.lastIndexOf('/') + 1)));
                if (blob == null) {
                    send(x, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}");
                    return;
                }
                switch (mode) {
                    case GOOD -> sendBytes(x, 200, blob);
                    case WRONG_CONTENT -> {
                        byte[] other = blob.clone();
                        other[other.length - 1] ^= 0x55;
                        sendBytes(x, 200, other);
                    }
                    case SHORT -> sendBytes(x, 200, java.util.Arrays.copyOf(blob, blob.length / 2));
                    case BROKEN_OFF -> {
                        x.sendResponseHeaders(200, blob.length);
                        OutputStream out = x.getResponseBody();
                        out.write(blob, 0, blob.length / 2);
                        out.flush();
                        throw new IOException("connection dropped on purpose");
                    }
                }
            } else if (path.startsWith("/v2/ns/pkg/blobs/sha256:") && x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(404, -1);
            } else if (path.equals("/v2/ns/pkg/blobs/uploads/") && x.getRequestMethod().equals("POST")) {
                x.getResponseHeaders().add("Location", "/v2/ns/pkg/blobs/uploads/u1?_state=abc");
                x.sendResponseHeaders(202, -1);
            } else if (path.equals("/v2/ns/pkg/blobs/uploads/u1") && x.getRequestMethod().equals("PUT")) {
                String query = x.getRequestURI().getQuery();
                byte[] body = x.getRequestBody().readAllBytes();
                String digest = query.replaceAll(".*digest=", "");
                if (!query.startsWith("_state=abc&") || !Digest.of(body).toString().equals(digest)) {
                    send(x, 400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"provided digest did not match uploaded content\"}]}");
                    return;
                }
                uploads.put(digest, body);
                x.sendResponseHeaders(201, -1);
            } else if (path.equals("/v2/ns/pkg/manifests/1.0.0") && x.getRequestMethod().equals("PUT")) {
                send(x, 400, "{\"errors\":[{\"code\":\"MANIFEST_BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\","
                        + "\"detail\":{\"digest\":\"sha256:0\"}}]}");
            } else {
                send(x, 404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}");
            }
        }
    }

    private static void send(HttpExchange x, int status, String json) throws IOException {
        x.getResponseHeaders().add("Content-Type", "application/json");
        sendBytes(x, status, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendBytes(HttpExchange x, int status, byte[] body) throws IOException {
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
    }

    private RegistryClient client(Optional<Credentials> credentials) {
        return new RegistryClient(URI.create(url()), credentials);
    }

    @Test
    void tokenFlowThenVerifiedPull() throws IOException {
        Path out = dir.resolve("out");
        client(Optional.of(PUBLISHER)).pull("ns/pkg", "1.0.0", "1.0.0", out);
        assertArrayEquals(image.manifestBytes(), OciLayout.read(out, Optional.of("1.0.0")).manifestBytes());
        // First request unauthenticated, answered 401; token fetched with Basic; then Bearer from there on.
        assertEquals("GET /v2/ns/pkg/manifests/1.0.0", log.get(0));
        assertTrue(log.get(1).startsWith("GET /token?service=bpfstore&scope=repository%3Ans%2Fpkg%3Apull%2Cpush [Basic]"),
                log.toString());
        assertTrue(log.stream().skip(2).allMatch(l -> l.endsWith("[Bearer]")), log.toString());
    }

    @Test
    void refusedCredentialsAreOneClearError() {
        RegistryException e = assertThrows(RegistryException.class, () -> client(Optional.of(
                new Credentials("examples", "wrong"))).pull("ns/pkg", "1.0.0", "1.0.0", dir.resolve("out")));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("refused the credentials of examples"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void anonymousTokenRequestCarriesNoCredentials() {
        RegistryException e = assertThrows(RegistryException.class,
                () -> client(Optional.empty()).pull("ns/pkg", "1.0.0", "1.0.0", dir.resolve("out")));
        assertTrue(e.getMessage().contains("anonymous access refused; run bpfstore login"), e.getMessage());
        assertEquals("GET /token?service=bpfstore&scope=repository%3Ans%2Fpkg%3Apull%2Cpush", log.get(1));
    }

    @Test
    void wrongBlobContentFailsNamingTheDigestAndWritesNothing() throws IOException {
        DigestMismatchException e = pullFails(BlobMode.WRONG_CONTENT, "1.0.0", DigestMismatchException.class);
        assertTrue(e.getMessage().contains(image.manifest().config().digest().toString()), e.getMessage());
    }

    @Test
    void shortBlobIsATruncatedDownload() throws IOException {
        DigestMismatchException e = pullFails(BlobMode.SHORT, "1.0.0", DigestMismatchException.class);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void oversizedManifestIsRefusedUnread() throws IOException {
        RegistryException e = pullFails(BlobMode.HUGE_MANIFEST, "1.0.0", RegistryException.class);
        assertEquals("MANIFEST_INVALID", e.code(), e.getMessage());
    }

    @Test
    void connectionDroppedMidBlob() throws IOException {
        RegistryException e = pullFails(BlobMode.BROKEN_OFF, "1.0.0", RegistryException.class);
        assertEquals("TRANSPORT", e.code(), e.getMessage());
    }

    @Test
    void manifestWithTheWrongDigestIsRefused() throws IOException {
        Digest other = Digest.of(new byte[] {1, 2, 3});
        DigestMismatchException e = pullFails(BlobMode.GOOD, other.toString(), DigestMismatchException.class);
        assertEquals(other, e.expected());
        assertTrue(e.getMessage().contains(image.digest().toString()), e.getMessage());
    }

    /**
     * Pulls ns/pkg {@code reference} (tag 1.0.0) from the registry serving blobs as {@code mode}: the pull must fail
     * with {@code failure} and leave nothing in the destination's folder.
     */
    private <E extends Exception> E pullFails(BlobMode mode, String reference, Class<E> failure) throws IOException {
        this.mode = mode;
        E e = assertThrows(failure,
                () -> client(Optional.of(PUBLISHER)).pull("ns/pkg", reference, "1.0.0", dir.resolve("out")));
        assertNothingWritten();
        return e;
    }

    @Test
    void ociErrorBodyBecomesTheExceptionsCode() {
        RegistryException e = assertThrows(RegistryException.class,
                () -> client(Optional.of(PUBLISHER)).push(image, "ns/pkg", "1.0.0", PushOptions.DEFAULT));
        assertEquals(400, e.status());
        assertEquals("MANIFEST_BLOB_UNKNOWN", e.code());
        assertTrue(e.getMessage().contains("blob unknown to registry"), e.getMessage());
        // Both blobs were uploaded through the relative Location that already carried a query.
        assertEquals(2, uploads.size());
    }

    @Test
    void bearerChallengeParsing() {
        BearerChallenge c = BearerChallenge.parse("Bearer realm=\"http://h:1/token\",service=\"bpfstore\","
                + "scope=\"repository:ns/name:pull,push\"").orElseThrow();
        assertEquals(new BearerChallenge("http://h:1/token", "bpfstore", "repository:ns/name:pull,push"), c);
        assertEquals(Optional.empty(), BearerChallenge.parse("Basic realm=\"x\""));
        assertEquals(Optional.empty(), BearerChallenge.parse("Bearer service=\"no realm\""));
    }

    private void assertNothingWritten() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "no layout and no temporary leftovers");
        }
    }
}
