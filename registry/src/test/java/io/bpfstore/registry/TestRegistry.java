package io.bpfstore.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.registry.auth.Publishers;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.store.image.Digest;
import io.bpfstore.registry.storage.MetadataStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A registry on a free loopback port with a temp data directory, plus a small HTTP client for tests. */
final class TestRegistry implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final Path data;
    final RegistryServer server;
    final HttpClient http = HttpClient.newHttpClient();

    private TestRegistry(Path data, RegistryServer server) {
        this.data = data;
        this.server = server;
    }

    /** Creates publishers first (offline, as the CLI does), then starts the server. */
    static TestRegistry start(Path data, RegistryConfig config) throws Exception {
        return new TestRegistry(data, RegistryServer.start(config));
    }

    /** Starts a server on {@code data} in the given storage set-up. */
    static TestRegistry start(StorageSetup setup, Path data, RegistryConfig config) throws Exception {
        return new TestRegistry(data, RegistryServer.start(config.withStorage(setup.storage(data, config.blobs()))));
    }

    /** Wraps a server a test started itself (e.g. with its own clock). */
    static TestRegistry wrap(Path data, RegistryServer server) {
        return new TestRegistry(data, server);
    }

    static RegistryConfig config(Path data) {
        return RegistryConfig.of("127.0.0.1", 0, data);
    }

    /** Creates a publisher in an offline data directory and returns its token. */
    static String createPublisher(Path data, String name, String... namespaces) throws IOException {
        return createPublisher(StorageSetup.EMBEDDED, data, name, namespaces);
    }

    /** Creates a publisher offline in the given storage set-up and returns its token. */
    static String createPublisher(StorageSetup setup, Path data, String name, String... namespaces)
            throws IOException {
        try (MetadataStore meta = setup.storage(data).openMetadata()) {
            return new Publishers(meta.accounts()).create(name, List.of(namespaces)).token();
        }
    }

    String hostPort() {
        return "127.0.0.1:" + server.port();
    }

    URI uri(String path) {
        return URI.create("http://" + hostPort() + path);
    }

    /** A bearer token from {@code /token} for the scope, with Basic credentials (null: anonymous). */
    String token(String scope, String user, String apiToken) throws Exception {
        return tokenFor(user, apiToken, scope);
    }

    /** A bearer token from {@code /token} for several scopes. */
    String tokenFor(String user, String apiToken, String... scopes) throws Exception {
        StringBuilder q = new StringBuilder("/token?service=bpfstore");
        for (String scope : scopes) {
            q.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(q.toString()));
        if (user != null) {
            b.header("Authorization", basic(user, apiToken));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("token request failed: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("token").asText();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<byte[]> send(String method, String path, String bearer, String contentType, byte[] body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Pushes a blob monolithically; returns the status. */
    int pushBlob(String repo, byte[] blob, String bearer) throws Exception {
        return send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Digest.of(blob), bearer,
                "application/octet-stream", blob).statusCode();
    }

    /** Pushes config, layer and manifest of an image under {@code tag}; returns the manifest PUT response. */
    HttpResponse<byte[]> push(String repo, String tag, PackageImage image, String bearer) throws Exception {
        assertStatus(201, pushBlob(repo, image.config(), bearer));
        assertStatus(201, pushBlob(repo, image.layer(), bearer));
        return send("PUT", "/v2/" + repo + "/manifests/" + tag, bearer,
                "application/vnd.oci.image.manifest.v1+json", image.manifest());
    }

    JsonNode getJson(String path) throws Exception {
        HttpResponse<byte[]> r = send("GET", path, null, null, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + new String(r.body()));
        }
        return JSON.readTree(r.body());
    }

    static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** The first error code of a distribution-API error body. */
    static String errorCode(HttpResponse<byte[]> r) throws IOException {
        String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        if (!body.startsWith("{")) {
            return "not JSON: " + body;
        }
        JsonNode code = JSON.readTree(r.body()).path("errors").path(0).path("code");
        return code.isTextual() ? code.asText() : "no error code: " + body;
    }

    private static void assertStatus(int expected, int actual) {
        if (expected != actual) {
            throw new AssertionError("expected HTTP " + expected + " but got " + actual);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /**
     * Gives each test a registry on a fresh data directory, with {@code publisher} owning the namespace of
     * {@code repository} and its pull+push bearer token for that repository: {@code @RegisterExtension final
     * TestRegistry.Session session = new TestRegistry.Session("acme-corp", "acme/app");}. The registry is closed and
     * the directory removed after the test.
     */
    static final class Session implements BeforeEachCallback, AfterEachCallback {
        private final String publisher;
        private final String repository;
        private Path dir;
        private TestRegistry registry;
        private final java.util.function.UnaryOperator<RegistryConfig> tune;
        private String push;

        Session(String publisher, String repository) {
            this(publisher, repository, c -> c);
        }

        /** A session whose registry runs with {@code tune} applied to the default test configuration. */
        Session(String publisher, String repository, java.util.function.UnaryOperator<RegistryConfig> tune) {
            this.publisher = publisher;
            this.repository = repository;
            this.tune = tune;
        }

        /** The running registry. */
        TestRegistry registry() {
            return registry;
        }

        /** The publisher's bearer token for pulling and pushing the repository. */
        String push() {
            return push;
        }

        @Override
        public void beforeEach(ExtensionContext context) throws Exception {
            dir = Files.createTempDirectory("bst-registry-test");
            Path data = dir.resolve("data");
            String key = createPublisher(data, publisher, repository.substring(0, repository.indexOf('/')));
            registry = start(data, tune.apply(config(data)));
            push = registry.token("repository:" + repository + ":pull,push", publisher, key);
        }

        @Override
        public void afterEach(ExtensionContext context) throws IOException {
            if (registry != null) {
                registry.close();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
