package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.registry.maintenance.MaintenancePolicy;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.server.RegistryStorage;
import io.bpfstore.registry.storage.MetadataUnavailableException;
import io.bpfstore.registry.storage.postgres.PostgresAddress;
import io.bpfstore.store.image.Digest;
import io.bpfstore.testsupport.FreePort;
import io.bpfstore.testsupport.PostgresCluster;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two registry instances on one PostgreSQL database and one blob directory (the scaled set-up), as behind a
 * load balancer: what one instance accepts the other serves at once, uploads and pushes that alternate or race
 * between them stay whole, a collection on one never frees a blob the other just referenced, a killed instance
 * leaves the other serving, and a database that goes away gives 503 and no half-written state.
 */
class ScaledRegistryTest {
    static final String REPO = "examples/xdp-counter";

    @TempDir
    Path tmp;
    PostgresCluster cluster;
    Path data;
    TestRegistry a;
    TestRegistry b;
    String aliceKey;

    static PackageImage.Spec spec(String version, String description) {
        return new PackageImage.Spec("examples", "xdp-counter", version, description, "GPL-2.0-only",
                Map.of("xdp_count", "xdp"), List.of("xdp"), List.of("bpf_map_lookup_elem"));
    }

    @BeforeEach
    void start() throws Exception {
        cluster = PostgresCluster.shared();
        data = tmp.resolve("data");
        aliceKey = TestRegistry.createPublisher(StorageSetup.POSTGRESQL, data, "alice", "examples");
        RegistryConfig config = TestRegistry.config(data)
                .withMaintenance(new MaintenancePolicy(Duration.ZERO, Duration.ofHours(24), Duration.ZERO));
        a = TestRegistry.wrap(data, RegistryServer.start(config.withStorage(StorageSetup.POSTGRESQL.storage(data))));
        b = TestRegistry.wrap(data, RegistryServer.start(config.withStorage(StorageSetup.POSTGRESQL.storage(data))));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private String push(TestRegistry via) throws Exception {
        return via.token("repository:" + REPO + ":pull,push", "alice", aliceKey);
    }

    @Test
    void aPushThroughOneInstanceIsPullableAndSearchableThroughTheOther() throws Exception {
        PackageImage image = PackageImage.of(spec("1.0.0", "Counts packets per CPU"));
        String tokenFromA = push(a);
        assertEquals(201, a.push(REPO, "1.0.0", image, tokenFromA).statusCode());
        // a token issued by A is valid at B: the signing key is in the database
        HttpResponse<byte[]> manifest = b.send("GET", "/v2/" + REPO + "/manifests/1.0.0", tokenFromA, null, null);
        assertEquals(200, manifest.statusCode());
        assertArrayEquals(image.manifest(), manifest.body());
        assertArrayEquals(image.layer(), b.send("GET", "/v2/" + REPO + "/blobs/" + image.layerDigest(), tokenFromA,
                null, null).body());
        JsonNode found = b.getJson("/api/v1/search?q=counts+pack");
        assertEquals(1, found.path("total").asLong(), found.toString());
        assertEquals("1.0.0", found.path("results").path(0).path("version").asText());
        assertEquals(1, b.getJson("/api/v1/packages/examples/xdp-counter").path("downloads").asLong(),
                "the pull through B counted once");
    }

    @Test
    void aChunkedUploadWhoseRequestsAlternateBetweenInstancesCompletes() throws Exception {
        byte[] blob = new byte[300_000];
        new Random(3).nextBytes(blob);
        String token = push(a);
        HttpResponse<byte[]> r = a.send("POST", "/v2/" + REPO + "/blobs/uploads/", token, null, null);
        assertEquals(202, r.statusCode());
        String location = r.headers().firstValue("Location").orElseThrow();
        TestRegistry[] via = {b, a, b};
        for (int i = 0; i < 3; i++) {
            byte[] chunk = Arrays.copyOfRange(blob, i * 100_000, (i + 1) * 100_000);
            r = via[i].send("PATCH", location, token, "application/octet-stream", chunk);
            assertEquals(202, r.statusCode(), "chunk " + i);
            assertEquals("0-" + ((i + 1) * 100_000 - 1), r.headers().firstValue("Range").orElseThrow());
        }
        r = a.send("PUT", location + "?digest=" + Digest.of(blob), token, null, null);
        assertEquals(201, r.statusCode());
        assertArrayEquals(blob, b.send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(blob), token, null, null).body());
    }

    @Test
    void twoPushesOfOneVersionThroughTwoInstancesLeaveOneWinner() throws Exception {
        String token = push(a);
        for (int round = 0; round < 4; round++) {
            String v = "1.0." + round;
            PackageImage first = PackageImage.of(spec(v, "First writer, round " + round));
            PackageImage second = PackageImage.of(spec(v, "Second writer, round " + round));
            for (PackageImage image : List.of(first, second)) {
                assertEquals(201, a.pushBlob(REPO, image.config(), token));
                assertEquals(201, a.pushBlob(REPO, image.layer(), token));
            }
            CompletableFuture<HttpResponse<byte[]>> viaA = CompletableFuture.supplyAsync(() -> putManifest(a, v, first,
                    token));
            CompletableFuture<HttpResponse<byte[]>> viaB = CompletableFuture.supplyAsync(() -> putManifest(b, v, second,
                    token));
            // versions are immutable (the default): the database lets exactly one of the racing pushes publish it
            List<Integer> statuses = List.of(viaA.join().statusCode(), viaB.join().statusCode());
            assertEquals(Set.of(201, 409), Set.copyOf(statuses), "statuses " + statuses);
            HttpResponse<byte[]> tagged = b.send("GET", "/v2/" + REPO + "/manifests/" + v, token, null, null);
            Digest winner = Digest.of(tagged.body());
            PackageImage won = statuses.get(0) == 201 ? first : second;
            assertEquals(won.manifestDigest(), winner, "the tag names the push that was accepted");
            JsonNode version = a.getJson("/api/v1/packages/examples/xdp-counter/" + v);
            assertEquals(winner.toString(), version.path("digest").asText(), "the index agrees with the tag");
            JsonNode hit = a.getJson("/api/v1/search?q=writer").path("results").path(0);
            assertEquals(winner.toString(), hit.path("digest").asText());
            assertTrue(hit.path("description").asText().startsWith(won == first ? "First" : "Second"));
        }
    }

    private static HttpResponse<byte[]> putManifest(TestRegistry via, String tag, PackageImage image, String token) {
        try {
            return via.send("PUT", "/v2/" + REPO + "/manifests/" + tag, token,
                    "application/vnd.oci.image.manifest.v1+json", image.manifest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void collectionOnOneInstanceNeverRemovesABlobTheOtherJustReferenced() throws Exception {
        String token = push(a);
        int stored = 0;
        // at least six racing rounds, and more until a push got through (under load the collection may win often)
        for (int round = 0; round < 6 || stored == 0 && round < 40; round++) {
            PackageImage image = PackageImage.of(spec("2.0." + round, "Round " + round));
            assertEquals(201, a.pushBlob(REPO, image.config(), token));
            assertEquals(201, a.pushBlob(REPO, image.layer(), token));
            String tag = "2.0." + round;
            // B checks the blobs and stores the manifest while A collects with no grace period
            CompletableFuture<HttpResponse<byte[]>> pushed = CompletableFuture.supplyAsync(() -> {
                try {
                    return b.send("PUT", "/v2/" + REPO + "/manifests/" + tag, token,
                            "application/vnd.oci.image.manifest.v1+json", image.manifest());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            a.server.runMaintenance(false);
            HttpResponse<byte[]> r = pushed.join();
            if (r.statusCode() == 201) {
                stored++;
                a.server.runMaintenance(false); // referenced now: kept
                for (Digest d : List.of(image.configDigest(), image.layerDigest())) {
                    assertEquals(200, a.send("GET", "/v2/" + REPO + "/blobs/" + d, token, null, null).statusCode(),
                            "a stored manifest names blob " + d + ", so it must exist");
                }
            } else {
                assertEquals("MANIFEST_BLOB_UNKNOWN", TestRegistry.errorCode(r), "the collection won the race");
            }
        }
        assertTrue(stored > 0, "at least one push got through");
    }

    @Test
    void killingAnInstanceMidUploadLeavesTheOtherServingAndNothingHalfWritten() throws Exception {
        Path blobs = data.resolve("blobs");
        RegistryStorage.Scaled storage = (RegistryStorage.Scaled) StorageSetup.POSTGRESQL.storage(data);
        PackageImage image = PackageImage.of(spec("1.0.0", "Counts packets per CPU"));
        String token = push(b);
        assertEquals(201, b.push(REPO, "1.0.0", image, token).statusCode());
        byte[] blob = new byte[200_000];
        new Random(5).nextBytes(blob);
        try (RegistryProcess victim = RegistryProcess.start(storage.database().toString(), cluster.password(),
                blobs)) {
            java.net.http.HttpClient victimHttp = java.net.http.HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + victim.port;
            HttpResponse<byte[]> r = victimHttp.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/v2/" + REPO + "/blobs/uploads/")).header("Authorization", "Bearer "
                    + token).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(202, r.statusCode());
            String location = r.headers().firstValue("Location").orElseThrow();
            r = victimHttp.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + location))
                    .header("Authorization", "Bearer " + token).header("Content-Range", "0-99999")
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                            Arrays.copyOfRange(blob, 0, 100_000))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(202, r.statusCode());
            // the second chunk announces 100,000 bytes, sends 30,000, and the instance dies under it
            try (Socket s = new Socket("127.0.0.1", victim.port)) {
                OutputStream out = s.getOutputStream();
                out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/octet-stream\r\nContent-Range: 100000-199999\r\n"
                        + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(blob, 100_000, 30_000);
                out.flush();
                Thread.sleep(500);
                victim.kill();
            }
            // B serves on: pulls, and the upload, whose recorded offset is still the first chunk's end
            assertArrayEquals(image.manifest(), b.send("GET", "/v2/" + REPO + "/manifests/1.0.0", token, null, null)
                    .body());
            r = b.send("GET", location, token, null, null);
            assertEquals(204, r.statusCode());
            assertEquals("0-99999", r.headers().firstValue("Range").orElseThrow());
            assertEquals(404, b.send("HEAD", "/v2/" + REPO + "/blobs/" + Digest.of(blob), token, null, null)
                    .statusCode(), "no half-written blob");
            r = b.send("PATCH", location, token, "application/octet-stream", Arrays.copyOfRange(blob, 100_000,
                    blob.length));
            assertEquals(202, r.statusCode());
            assertEquals(201, b.send("PUT", location + "?digest=" + Digest.of(blob), token, null, null).statusCode());
            assertArrayEquals(blob, b.send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(blob), token, null, null)
                    .body());
        }
    }

    @Test
    void failedLoginsAreLimitedPerClientAcrossInstances() throws Exception {
        // the counts are per clock minute: start early in one, so all attempts land in the same
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 40_000) {
            Thread.sleep(60_000 - intoMinute + 100);
        }
        String scope = "/token?service=bpfstore&scope=repository:" + REPO + ":pull,push";
        String signed = push(a); // before the guessing
        // the limit is 10 a minute (the default): 6 wrong guesses through A and 5 through B make 11
        for (TestRegistry via : List.of(a, a, a, a, a, a, b, b, b, b, b)) {
            HttpResponse<byte[]> r = login(via, scope, "bpfs_wrong");
            assertEquals(401, r.statusCode(), "each instance alone is under the limit");
        }
        for (TestRegistry via : List.of(a, b)) {
            HttpResponse<byte[]> r = login(via, scope, aliceKey);
            assertEquals(429, r.statusCode(), "over the limit across the store: refused before the check, even the"
                    + " right key");
            assertTrue(r.headers().firstValue("Retry-After").isPresent());
        }
        assertEquals(200, b.send("GET", "/api/v1/search?q=", null, null, null).statusCode(),
                "a request without credentials is no login: not refused");
        assertEquals(202, b.send("POST", "/v2/" + REPO + "/blobs/uploads/", signed, null, null).statusCode(),
                "a token the registry signed is settled by its signature: no login, not refused");
    }

    private static HttpResponse<byte[]> login(TestRegistry via, String path, String key) throws Exception {
        return via.http.send(java.net.http.HttpRequest.newBuilder(via.uri(path))
                .header("Authorization", TestRegistry.basic("alice", key)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void upkeepSweepsACrashedInstancesStaleUploadDebrisButNeverALiveUpload() throws Exception {
        Path uploads = data.resolve("blobs/uploads");
        RegistryStorage.Scaled storage = (RegistryStorage.Scaled) StorageSetup.POSTGRESQL.storage(data);
        String token = push(a);
        byte[] blob = new byte[200_000];
        new Random(11).nextBytes(blob);
        String head = "POST /v2/" + REPO + "/blobs/uploads/?digest=" + Digest.of(blob) + " HTTP/1.1\r\nHost: 127.0.0.1"
                + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + blob.length + "\r\n\r\n";
        // a one-shot put half sent when its instance dies: its staging file stays in the shared directory
        try (RegistryProcess victim = RegistryProcess.start(storage.database().toString(), cluster.password(),
                data.resolve("blobs")); Socket s = new Socket("127.0.0.1", victim.port)) {
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(blob, 0, 30_000);
            s.getOutputStream().flush();
            awaitPutFiles(uploads, 1);
            victim.kill();
        }
        Path debris = putFiles(uploads).getFirst();
        // another one-shot put, live on B, half sent
        try (Socket live = new Socket("127.0.0.1", b.server.port())) {
            live.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            live.getOutputStream().write(blob, 0, 50_000);
            live.getOutputStream().flush();
            awaitPutFiles(uploads, 2);
            Path inFlight = putFiles(uploads).stream().filter(p -> !p.equals(debris)).findFirst().orElseThrow();
            // a day later for the debris (older than --upload-ttl); the live upload keeps writing
            java.nio.file.Files.setLastModifiedTime(debris, java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(Duration.ofHours(25))));
            assertEquals(1, a.server.runMaintenance(false).strayUploads());
            assertTrue(java.nio.file.Files.notExists(debris), "the crashed instance's debris is swept");
            assertTrue(java.nio.file.Files.exists(inFlight), "B's upload in flight is left alone");
            live.getOutputStream().write(blob, 50_000, blob.length - 50_000);
            live.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(live.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 201 Created", status);
        }
        assertArrayEquals(blob, a.send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(blob), token, null, null).body());
        assertEquals(List.of(), putFiles(uploads), "nothing staged is left");
    }

    private static List<Path> putFiles(Path uploads) throws Exception {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(uploads)) {
            return files.filter(p -> p.getFileName().toString().startsWith("put-")).toList();
        }
    }

    private static void awaitPutFiles(Path uploads, int n) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (putFiles(uploads).size() < n) {
            assertTrue(System.nanoTime() < deadline, "no staging file for the put after 20 s");
            Thread.sleep(50);
        }
    }

    @Test
    void aDatabaseThatGoesAwayGives503AndNothingHalfWritten() throws Exception {
        RegistryStorage.Scaled storage = (RegistryStorage.Scaled) StorageSetup.POSTGRESQL.storage(data);
        String db = storage.database().database();
        PackageImage image = PackageImage.of(spec("1.0.0", "Counts packets per CPU"));
        String token = push(a);
        assertEquals(201, a.pushBlob(REPO, image.config(), token));
        assertEquals(201, a.pushBlob(REPO, image.layer(), token));
        cluster.psql("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
        try {
            cluster.psql("postgres", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = '" + db + "'");
            HttpResponse<byte[]> r = a.send("PUT", "/v2/" + REPO + "/manifests/1.0.0", token,
                    "application/vnd.oci.image.manifest.v1+json", image.manifest());
            assertEquals(503, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
            assertEquals("UNAVAILABLE", TestRegistry.errorCode(r));
            r = b.send("GET", "/v2/" + REPO + "/tags/list", token, null, null);
            assertEquals(503, r.statusCode());
        } finally {
            cluster.psql("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
        }
        // back: as a load balancer would, wait until both instances say they are ready (a pooled connection the
        // server cut off may fail one more request with 503 before the pool replaces it)
        for (TestRegistry instance : List.of(a, b)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (instance.send("GET", "/readyz", null, null, null).statusCode() != 200) {
                assertTrue(System.nanoTime() < deadline, "instance not ready 20 s after the database came back");
                Thread.sleep(100);
            }
        }
        // the refused push left no tag and no package version; it goes through now
        assertEquals(404, b.send("GET", "/v2/" + REPO + "/manifests/1.0.0", token, null, null).statusCode());
        assertEquals(0, b.getJson("/api/v1/search?q=counts").path("total").asLong());
        assertEquals(201, a.send("PUT", "/v2/" + REPO + "/manifests/1.0.0", token,
                "application/vnd.oci.image.manifest.v1+json", image.manifest()).statusCode());
    }

    @Test
    void anUnreachableDatabaseAtStartIsAClearError() {
        PostgresAddress nowhere = PostgresAddress.parse("postgresql://bpfstore@127.0.0.1:" + FreePort.onLoopback()
                + "/none");
        long started = System.nanoTime();
        MetadataUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(
                MetadataUnavailableException.class, () -> RegistryServer.start(TestRegistry.config(tmp).withStorage(
                        new RegistryStorage.Scaled(nowhere, Optional.empty(), tmp.resolve("blobs")))));
        assertTrue(e.getMessage().contains("connect to " + nowhere), e.getMessage());
        assertTrue(System.nanoTime() - started < 15_000_000_000L, "fails fast, no hang");
    }
}
