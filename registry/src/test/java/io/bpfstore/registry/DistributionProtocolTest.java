package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.registry.auth.Grant;
import io.bpfstore.registry.auth.Scope;
import io.bpfstore.registry.auth.TokenSigner;
import io.bpfstore.registry.auth.Action;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.store.image.Digest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The distribution API spoken directly with java.net.http: the cases clients rarely exercise.
 *
 * <p>In each storage set-up of {@link StorageSetup#contract()}: embedded with files or an OCI blob store, and
 * PostgreSQL with an OCI blob store.
 */
@ParameterizedClass
@MethodSource("io.bpfstore.registry.StorageSetup#contract")
@ExtendWith(SharedDockerRegistry.class)
class DistributionProtocolTest {
    /** Where the registry under test keeps its metadata. */
    @Parameter(0)
    StorageSetup setup;

    /** Where the registry under test keeps blobs. */
    @Parameter(1)
    BlobBackend backend;

    static final long MAX_BLOB = 1 << 20;
    static final String REPO = "examples/app";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @TempDir
    Path tmp;
    Path data;
    TestRegistry registry;
    RegistryConfig config;
    String aliceKey;
    String bobKey;
    String push;

    @BeforeEach
    void start() throws Exception {
        data = tmp.resolve("data");
        aliceKey = TestRegistry.createPublisher(setup, data, "alice", "examples");
        bobKey = TestRegistry.createPublisher(setup, data, "bob", "bobs");
        config = backend.apply(TestRegistry.config(data).withMaxBlobSize(MAX_BLOB));
        registry = TestRegistry.start(setup, data, config);
        push = registry.token("repository:" + REPO + ":pull,push", "alice", aliceKey);
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    private HttpResponse<byte[]> send(String method, String path, String bearer, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(registry.uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return registry.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Like {@link #send}, on a client of its own: the server closes a connection it refuses a body on, and the shared
     * client could otherwise hand that dead connection to the next request.
     */
    private HttpResponse<byte[]> sendAlone(String method, String path, String bearer, byte[] body) throws Exception {
        try (HttpClient alone = HttpClient.newHttpClient()) {
            return alone.send(HttpRequest.newBuilder(registry.uri(path))
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private String startUpload(String repo, String bearer) throws Exception {
        HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/", bearer, null);
        assertEquals(202, r.statusCode());
        return r.headers().firstValue("Location").orElseThrow();
    }

    private List<String> storedBlobs() throws Exception {
        return backend.storedBlobs(config, data);
    }

    private List<String> stagedUploads() throws Exception {
        return backend.stagedUploads(config, data);
    }

    @Test
    void baseEndpointChallengesThenAcceptsAnyValidToken() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/v2/", null, null);
        assertEquals(401, r.statusCode());
        assertEquals("UNAUTHORIZED", TestRegistry.errorCode(r));
        assertEquals("Bearer realm=\"http://" + registry.hostPort() + "/token\",service=\"bpfstore\"",
                r.headers().firstValue("WWW-Authenticate").orElseThrow());
        String anonymous = registry.token("repository:" + REPO + ":pull", null, null);
        assertEquals(200, send("GET", "/v2/", anonymous, null).statusCode());
        assertEquals("registry/2.0", r.headers().firstValue("Docker-Distribution-API-Version").orElseThrow());
    }

    @Test
    void chunkedUploadAssemblesTheBlob() throws Exception {
        byte[] blob = new byte[200_000];
        new java.util.Random(1).nextBytes(blob);
        String location = startUpload(REPO, push);
        byte[] first = Arrays.copyOfRange(blob, 0, 70_000);
        byte[] second = Arrays.copyOfRange(blob, 70_000, blob.length);
        HttpResponse<byte[]> r = send("PATCH", location, push, first, "Content-Range", "0-69999",
                "Content-Type", "application/octet-stream");
        assertEquals(202, r.statusCode());
        assertEquals("0-69999", r.headers().firstValue("Range").orElseThrow());
        location = r.headers().firstValue("Location").orElseThrow();
        // Without Content-Range (streamed chunk), the server appends at the end.
        r = send("PATCH", location, push, second, "Content-Type", "application/octet-stream");
        assertEquals(202, r.statusCode());
        assertEquals("0-199999", r.headers().firstValue("Range").orElseThrow());
        r = send("GET", location, push, null);
        assertEquals(204, r.statusCode());
        assertEquals("0-199999", r.headers().firstValue("Range").orElseThrow());
        r = send("PUT", location + "?digest=" + Digest.of(blob), push, null);
        assertEquals(201, r.statusCode());
        assertEquals(Digest.of(blob).toString(), r.headers().firstValue("Docker-Content-Digest").orElseThrow());
        HttpResponse<byte[]> got = send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(blob), push, null);
        assertEquals(200, got.statusCode());
        assertArrayEquals(blob, got.body());
        HttpResponse<byte[]> head = send("HEAD", "/v2/" + REPO + "/blobs/" + Digest.of(blob), push, null);
        assertEquals(200, head.statusCode());
        assertEquals("200000", head.headers().firstValue("Content-Length").orElseThrow());
        HttpResponse<byte[]> range = send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(blob), push, null,
                "Range", "bytes=10-19");
        assertEquals(206, range.statusCode());
        assertArrayEquals(Arrays.copyOfRange(blob, 10, 20), range.body());
        assertEquals("bytes 10-19/200000", range.headers().firstValue("Content-Range").orElseThrow());
        assertTrue(stagedUploads().isEmpty(), "staging area emptied");
    }

    @Test
    void outOfOrderChunkIs416AndTheUploadContinues() throws Exception {
        byte[] blob = "0123456789".getBytes(StandardCharsets.UTF_8);
        String location = startUpload(REPO, push);
        HttpResponse<byte[]> r = send("PATCH", location, push, Arrays.copyOfRange(blob, 5, 10),
                "Content-Range", "5-9");
        assertEquals(416, r.statusCode());
        assertEquals("BLOB_UPLOAD_INVALID", TestRegistry.errorCode(r));
        assertEquals("0-0", r.headers().firstValue("Range").orElseThrow());
        assertEquals(202, send("PATCH", location, push, Arrays.copyOfRange(blob, 0, 5), "Content-Range", "0-4")
                .statusCode());
        assertEquals(416, send("PATCH", location, push, Arrays.copyOfRange(blob, 0, 5), "Content-Range", "0-4")
                .statusCode());
        assertEquals(202, send("PATCH", location, push, Arrays.copyOfRange(blob, 5, 10), "Content-Range", "5-9")
                .statusCode());
        assertEquals(201, send("PUT", location + "?digest=" + Digest.of(blob), push, null).statusCode());
    }

    @Test
    void wrongDigestIsDigestInvalidAndNothingIsStored() throws Exception {
        byte[] blob = "payload".getBytes(StandardCharsets.UTF_8);
        Digest other = Digest.of("something else".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = send("POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + other, push, blob);
        assertEquals(400, r.statusCode());
        assertEquals("DIGEST_INVALID", TestRegistry.errorCode(r));

        String location = startUpload(REPO, push);
        assertEquals(202, send("PATCH", location, push, blob).statusCode());
        r = send("PUT", location + "?digest=" + other, push, null);
        assertEquals(400, r.statusCode());
        assertEquals("DIGEST_INVALID", TestRegistry.errorCode(r));
        r = send("GET", location, push, null);
        assertEquals(404, r.statusCode());
        assertEquals("BLOB_UPLOAD_UNKNOWN", TestRegistry.errorCode(r));

        for (Digest d : List.of(Digest.of(blob), other)) {
            assertEquals(404, send("HEAD", "/v2/" + REPO + "/blobs/" + d, push, null).statusCode());
        }
        assertEquals(List.of(), storedBlobs());
        assertEquals(List.of(), stagedUploads());
        r = send("POST", "/v2/" + REPO + "/blobs/uploads/?digest=sha256:xyz", push, blob);
        assertEquals("DIGEST_INVALID", TestRegistry.errorCode(r));
    }

    @Test
    void oversizedUploadsAreRefusedAndNothingIsStored() throws Exception {
        byte[] big = new byte[(int) MAX_BLOB + 1];
        // The server answers 413 from Content-Length and closes without reading the body; a client still
        // sending may then see the connection end before it reads the answer. Both mean "refused".
        try {
            HttpResponse<byte[]> refused = sendAlone("POST", "/v2/" + REPO + "/blobs/uploads/?digest="
                    + Digest.of(big), push, big);
            assertEquals(413, refused.statusCode());
            assertEquals("SIZE_INVALID", TestRegistry.errorCode(refused));
        } catch (java.io.IOException closedWhileSending) {
            // refused before the body was read: acceptable, checked below that nothing was stored
        }
        assertEquals(List.of(), storedBlobs());
        HttpResponse<byte[]> r;

        String location = startUpload(REPO, push);
        assertEquals(202, send("PATCH", location, push, new byte[(int) MAX_BLOB - 10]).statusCode());
        r = send("PATCH", location, push, new byte[11]);
        assertEquals(413, r.statusCode());
        assertEquals("SIZE_INVALID", TestRegistry.errorCode(r));
        assertEquals(404, send("GET", location, push, null).statusCode(), "the session is gone");
        assertEquals(List.of(), storedBlobs());
        assertEquals(List.of(), stagedUploads());
    }

    @Test
    void mountLinksABlobFromAnotherRepository() throws Exception {
        byte[] blob = "shared layer".getBytes(StandardCharsets.UTF_8);
        assertEquals(201, registry.pushBlob(REPO, blob, push));
        String both = registry.tokenFor("alice", aliceKey, "repository:examples/other:pull,push",
                "repository:" + REPO + ":pull");
        assertEquals(404, send("HEAD", "/v2/examples/other/blobs/" + Digest.of(blob), both, null).statusCode());
        HttpResponse<byte[]> r = send("POST", "/v2/examples/other/blobs/uploads/?mount=" + Digest.of(blob)
                + "&from=" + REPO, both, null);
        assertEquals(201, r.statusCode());
        assertEquals("/v2/examples/other/blobs/" + Digest.of(blob), r.headers().firstValue("Location").orElseThrow());
        assertEquals(200, send("HEAD", "/v2/examples/other/blobs/" + Digest.of(blob), both, null).statusCode());
        // Mounting what the source does not have falls back to a plain upload session.
        Digest unknown = Digest.of("nope".getBytes(StandardCharsets.UTF_8));
        r = send("POST", "/v2/examples/other/blobs/uploads/?mount=" + unknown + "&from=" + REPO, both, null);
        assertEquals(202, r.statusCode());
    }

    @Test
    void manifestReferencingMissingBlobIsManifestBlobUnknown() throws Exception {
        PackageImage image = PackageImage.of(new PackageImage.Spec("examples", "app", "1.0.0", "d", "MIT",
                Map.of("f", "xdp"), List.of("xdp"), List.of()));
        assertEquals(201, registry.pushBlob(REPO, image.config(), push)); // the layer is missing
        HttpResponse<byte[]> r = send("PUT", "/v2/" + REPO + "/manifests/1.0.0", push, image.manifest(),
                "Content-Type", OCI_MANIFEST);
        assertEquals(400, r.statusCode());
        assertEquals("MANIFEST_BLOB_UNKNOWN", TestRegistry.errorCode(r));
        assertEquals(image.layerDigest().toString(), TestRegistry.json(r).path("errors").path(0).path("detail").asText());
        assertEquals(404, send("GET", "/v2/" + REPO + "/manifests/1.0.0", push, null).statusCode());
        assertEquals(404, registry.send("GET", "/api/v1/packages/examples/app", null, null, null).statusCode());
    }

    @Test
    void badNamesArePathTraversalProof() throws Exception {
        for (String path : List.of("/v2/Examples/App/manifests/1.0.0", "/v2/examples/a..b/tags/list",
                "/v2/examples/%2e%2e/secret/tags/list", "/v2/examples/..%2Fetc/blobs/uploads/",
                "/v2/examples//app/tags/list", "/v2/-examples/app/tags/list", "/v2/examples/app%00/tags/list")) {
            HttpResponse<byte[]> r = send("GET", path, push, null);
            assertEquals(400, r.statusCode(), path);
            assertEquals("NAME_INVALID", TestRegistry.errorCode(r), path);
        }
        HttpResponse<byte[]> r = send("GET", "/v2/" + "a".repeat(256) + "/tags/list", push, null);
        assertEquals("NAME_INVALID", TestRegistry.errorCode(r));
    }

    @Test
    void malformedManifestsAreManifestInvalid() throws Exception {
        for (String body : List.of("{not json", "[]", "{\"schemaVersion\":1}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\"}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:zz\",\"size\":1},\"layers\":[]}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + Digest.of(new byte[0])
                        + "\",\"size\":-1},\"layers\":[]}",
                "{\"schemaVersion\":2,\"schemaVersion\":2}")) {
            HttpResponse<byte[]> r = send("PUT", "/v2/" + REPO + "/manifests/latest", push,
                    body.getBytes(StandardCharsets.UTF_8), "Content-Type", OCI_MANIFEST);
            assertEquals(400, r.statusCode(), body);
            assertEquals("MANIFEST_INVALID", TestRegistry.errorCode(r), body);
        }
        PackageImage image = PackageImage.of(new PackageImage.Spec("examples", "app", "1.0.0", "d", "MIT",
                Map.of("f", "xdp"), List.of("xdp"), List.of()));
        registry.pushBlob(REPO, image.config(), push);
        registry.pushBlob(REPO, image.layer(), push);
        HttpResponse<byte[]> r = send("PUT", "/v2/" + REPO + "/manifests/1.0.0", push, image.manifest(),
                "Content-Type", "application/vnd.oci.image.index.v1+json");
        assertEquals("MANIFEST_INVALID", TestRegistry.errorCode(r), "Content-Type contradicts mediaType");
        r = send("PUT", "/v2/" + REPO + "/manifests/" + Digest.of(new byte[1]), push, image.manifest(),
                "Content-Type", OCI_MANIFEST);
        assertEquals("DIGEST_INVALID", TestRegistry.errorCode(r), "reference digest differs from the body");
        // A package label naming another repository is refused rather than half-indexed.
        r = registry.push("examples/other", "1.0.0", image,
                registry.token("repository:examples/other:pull,push", "alice", aliceKey));
        assertEquals(400, r.statusCode());
        assertEquals("MANIFEST_INVALID", TestRegistry.errorCode(r));
    }

    @Test
    void badAndExpiredTokensGet401WithChallenge() throws Exception {
        String path = "/v2/" + REPO + "/blobs/uploads/";
        TokenSigner signer = setup.signer(data);
        Instant past = Instant.now().minusSeconds(3600);
        Grant grant = new Grant(Optional.of("alice"), past, past.plusSeconds(300),
                List.of(Scope.repository(REPO, Set.of(Action.PULL, Action.PUSH))));
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 7);
        Instant now = Instant.now();
        String forged = new TokenSigner(otherKey).sign(new Grant(Optional.of("alice"), now, now.plusSeconds(300),
                grant.access()));
        String tampered = push.substring(0, push.lastIndexOf('.') + 1) + "AAAA";
        for (String bad : List.of("garbage", signer.sign(grant), forged, tampered, "bpfs_" + "x".repeat(43))) {
            HttpResponse<byte[]> r = send("POST", path, bad, null);
            assertEquals(401, r.statusCode(), bad);
            assertEquals("UNAUTHORIZED", TestRegistry.errorCode(r));
            String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertTrue(challenge.startsWith("Bearer realm=\"http://" + registry.hostPort() + "/token\""), challenge);
            assertTrue(challenge.contains("scope=\"repository:" + REPO + ":pull,push\""), challenge);
            assertTrue(challenge.contains("error=\"invalid_token\""), challenge);
        }
        HttpResponse<byte[]> r = registry.send("GET", "/token?service=bpfstore&scope=repository:" + REPO + ":push",
                null, null, null);
        assertEquals(200, r.statusCode(), "anonymous token request succeeds, with less access");
        r = registry.http.send(HttpRequest.newBuilder(registry.uri("/token?service=bpfstore"))
                .header("Authorization", TestRegistry.basic("alice", bobKey)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(401, r.statusCode(), "bob's key is not alice's");
    }

    @Test
    void pushingIntoAnotherPublishersNamespaceIsDenied() throws Exception {
        String bobs = registry.token("repository:" + REPO + ":pull,push", "bob", bobKey);
        HttpResponse<byte[]> r = send("POST", "/v2/" + REPO + "/blobs/uploads/", bobs, null);
        assertEquals(403, r.statusCode());
        assertEquals("DENIED", TestRegistry.errorCode(r));
        r = send("POST", "/v2/" + REPO + "/blobs/uploads/", bobKey, null); // API token as bearer
        assertEquals(403, r.statusCode());
        assertEquals("DENIED", TestRegistry.errorCode(r));
        r = send("POST", "/v2/" + REPO + "/blobs/uploads/", null, null);
        assertEquals(401, r.statusCode());
        assertEquals("UNAUTHORIZED", TestRegistry.errorCode(r));
        // A namespace nobody owns is nobody's to push into.
        r = send("POST", "/v2/unowned/app/blobs/uploads/", registry.token("repository:unowned/app:pull,push",
                "alice", aliceKey), null);
        assertEquals(403, r.statusCode());
        // Alice's token for one repository does not carry over to another of hers: re-authenticate.
        r = send("POST", "/v2/examples/else/blobs/uploads/", push, null);
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElseThrow().contains("insufficient_scope"));
    }

    @Test
    void tagListPaginatesAndCatalogLists() throws Exception {
        PackageImage image = PackageImage.of(new PackageImage.Spec("examples", "app", "1.0.0", "d", "MIT",
                Map.of("f", "xdp"), List.of("xdp"), List.of()));
        for (String tag : List.of("e", "a", "c", "b", "d")) {
            assertEquals(201, registry.push(REPO, tag, image, push).statusCode());
        }
        HttpResponse<byte[]> r = send("GET", "/v2/" + REPO + "/tags/list?n=2", push, null);
        assertEquals(List.of("a", "b"), strings(TestRegistry.json(r).path("tags")));
        assertEquals("</v2/" + REPO + "/tags/list?n=2&last=b>; rel=\"next\"", r.headers().firstValue("Link").orElseThrow());
        r = send("GET", "/v2/" + REPO + "/tags/list?n=2&last=b", push, null);
        assertEquals(List.of("c", "d"), strings(TestRegistry.json(r).path("tags")));
        r = send("GET", "/v2/" + REPO + "/tags/list?n=2&last=d", push, null);
        assertEquals(List.of("e"), strings(TestRegistry.json(r).path("tags")));
        assertFalse(r.headers().firstValue("Link").isPresent());
        r = send("GET", "/v2/examples/nothing/tags/list", push, null);
        assertEquals("NAME_UNKNOWN", TestRegistry.errorCode(r));
        r = send("GET", "/v2/_catalog", null, null);
        assertEquals(List.of(REPO), strings(TestRegistry.json(r).path("repositories")));
        // Deleting a tag leaves the manifest reachable by digest; deleting the digest removes every tag.
        assertEquals(202, send("DELETE", "/v2/" + REPO + "/manifests/e", registry.tokenFor("alice", aliceKey,
                "repository:" + REPO + ":delete"), null).statusCode());
        String del = registry.tokenFor("alice", aliceKey, "repository:" + REPO + ":*");
        assertEquals(200, send("GET", "/v2/" + REPO + "/manifests/" + image.manifestDigest(), del, null).statusCode());
        assertEquals(202, send("DELETE", "/v2/" + REPO + "/manifests/" + image.manifestDigest(), del, null)
                .statusCode());
        r = send("GET", "/v2/" + REPO + "/tags/list", del, null);
        assertEquals(List.of(), strings(TestRegistry.json(r).path("tags")));
        assertEquals("MANIFEST_UNKNOWN", TestRegistry.errorCode(send("GET", "/v2/" + REPO + "/manifests/a", del, null)));
    }

    @Test
    void referrersListManifestsWhoseSubjectMatches() throws Exception {
        PackageImage image = PackageImage.of(new PackageImage.Spec("examples", "app", "1.0.0", "d", "MIT",
                Map.of("f", "xdp"), List.of("xdp"), List.of()));
        assertEquals(201, registry.push(REPO, "1.0.0", image, push).statusCode());
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] signature = "signature bytes".getBytes(StandardCharsets.UTF_8);
        registry.pushBlob(REPO, empty, push);
        registry.pushBlob(REPO, signature, push);
        ObjectNode m = TestRegistry.JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", OCI_MANIFEST);
        m.put("artifactType", "application/vnd.bpfstore.signature.v1");
        m.set("config", PackageImage.descriptor("application/vnd.oci.empty.v1+json", empty));
        m.putArray("layers").add(PackageImage.descriptor("application/octet-stream", signature));
        m.set("subject", PackageImage.descriptor(OCI_MANIFEST, image.manifest()));
        m.putObject("annotations").put("io.bpfstore.signer", "alice");
        byte[] artifact = TestRegistry.JSON.writeValueAsBytes(m);
        HttpResponse<byte[]> r = send("PUT", "/v2/" + REPO + "/manifests/" + Digest.of(artifact), push, artifact,
                "Content-Type", OCI_MANIFEST);
        assertEquals(201, r.statusCode(), new String(r.body()));
        assertEquals(image.manifestDigest().toString(), r.headers().firstValue("OCI-Subject").orElseThrow());

        r = send("GET", "/v2/" + REPO + "/referrers/" + image.manifestDigest(), push, null);
        assertEquals(200, r.statusCode());
        assertEquals("application/vnd.oci.image.index.v1+json", r.headers().firstValue("Content-Type").orElseThrow());
        JsonNode list = TestRegistry.json(r).path("manifests");
        assertEquals(1, list.size());
        assertEquals(Digest.of(artifact).toString(), list.get(0).path("digest").asText());
        assertEquals(artifact.length, list.get(0).path("size").asInt());
        assertEquals("application/vnd.bpfstore.signature.v1", list.get(0).path("artifactType").asText());
        assertEquals("alice", list.get(0).path("annotations").path("io.bpfstore.signer").asText());

        r = send("GET", "/v2/" + REPO + "/referrers/" + image.manifestDigest() + "?artifactType=application/x-other",
                push, null);
        assertEquals(0, TestRegistry.json(r).path("manifests").size());
        assertEquals("artifactType", r.headers().firstValue("OCI-Filters-Applied").orElseThrow());
        r = send("GET", "/v2/" + REPO + "/referrers/" + Digest.of(empty), push, null);
        assertEquals(0, TestRegistry.json(r).path("manifests").size());
    }

    @Test
    void privateRegistryRequiresAPublisherToPull() throws Exception {
        PackageImage image = PackageImage.of(new PackageImage.Spec("examples", "app", "1.0.0", "d", "MIT",
                Map.of("f", "xdp"), List.of("xdp"), List.of()));
        assertEquals(201, registry.push(REPO, "1.0.0", image, push).statusCode());
        registry.close();
        registry = TestRegistry.start(setup, data, config.withPrivatePull(true));
        String anonymous = registry.token("repository:" + REPO + ":pull", null, null);
        HttpResponse<byte[]> r = send("GET", "/v2/" + REPO + "/manifests/1.0.0", anonymous, null);
        assertEquals(401, r.statusCode());
        assertEquals(401, send("GET", "/v2/" + REPO + "/manifests/1.0.0", null, null).statusCode());
        assertEquals(401, send("GET", "/v2/_catalog", null, null).statusCode());
        assertEquals(401, registry.send("GET", "/api/v1/search?q=app", null, null, null).statusCode());
        String bobs = registry.token("repository:" + REPO + ":pull", "bob", bobKey);
        r = send("GET", "/v2/" + REPO + "/manifests/1.0.0", bobs, null);
        assertEquals(200, r.statusCode());
        assertArrayEquals(image.manifest(), r.body());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
