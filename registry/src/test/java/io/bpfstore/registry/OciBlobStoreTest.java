package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.registry.maintenance.MaintenancePolicy;
import io.bpfstore.registry.maintenance.MaintenanceReport;
import io.bpfstore.registry.server.BlobLocation;
import io.bpfstore.registry.server.DataDirectory;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.storage.BlobStoreUnavailableException;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.oci.OciBlobLocation;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.image.Digest;
import io.bpfstore.testsupport.DockerRegistryProcess;
import io.bpfstore.testsupport.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI blob store's own promises, against a real docker-registry: bytes with the wrong digest are refused,
 * an unreachable backend is one clear error at start and 503 during a request, chunked uploads keep no state in
 * the instance, garbage collection removes blobs from the backend, and the token flow to a private backend.
 */
@ExtendWith(SharedDockerRegistry.class)
class OciBlobStoreTest {
    static final String REPO = "examples/app";

    @TempDir
    Path tmp;

    private TestRegistry start(Path data, OciBlobLocation location) throws Exception {
        return TestRegistry.start(data, TestRegistry.config(data).withBlobs(new BlobLocation.Registry(location)));
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed ^ System.nanoTime()).nextBytes(b);
        return b;
    }

    @Test
    void bytesWithTheWrongDigestAreRefusedNotServed() throws Exception {
        Path data = tmp.resolve("data");
        String key = TestRegistry.createPublisher(data, "alice", "examples");
        try (TestRegistry registry = start(data, BlobBackend.freshRepository())) {
            String push = registry.token("repository:" + REPO + ":pull,push", "alice", key);
            byte[] small = random(4096, 1);
            byte[] large = random(3 << 20, 2); // streamed: above OciBlobStore.VERIFY_BEFORE_SENDING
            for (byte[] blob : List.of(small, large)) {
                assertEquals(201, registry.pushBlob(REPO, blob, push));
                HttpResponse<byte[]> good = registry.send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(blob), push,
                        null, null);
                assertArrayEquals(blob, good.body());
                // someone with access to the backend's storage flips one byte
                Path file = SharedDockerRegistry.process().blobFile(Digest.of(blob).hex());
                byte[] tampered = Files.readAllBytes(file);
                tampered[tampered.length / 2] ^= 1;
                Files.write(file, tampered);
            }
            HttpResponse<byte[]> refused = registry.send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(small), push,
                    null, null);
            assertEquals(502, refused.statusCode(), "a small corrupt blob is refused before any byte is sent");
            assertEquals("UNKNOWN", TestRegistry.errorCode(refused));
            // a large one is cut short: the client never receives all of it
            try {
                HttpResponse<byte[]> cut = registry.send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(large), push,
                        null, null);
                assertTrue(cut.body().length < large.length, "the corrupt blob was served whole");
            } catch (IOException truncated) {
                // the connection was aborted before the last block: refused
            }
        }
    }

    @Test
    void unreachableBlobStoreAtStartIsOneClearError() throws Exception {
        Path data = tmp.resolve("data");
        int closed = FreePort.onLoopback();
        OciBlobLocation nowhere = OciBlobLocation.parse("oci+http://127.0.0.1:" + closed + "/bpfstore/blobs",
                Optional.empty());
        BlobStoreUnavailableException e = assertThrows(BlobStoreUnavailableException.class, () -> RegistryServer
                .start(TestRegistry.config(data).withBlobs(new BlobLocation.Registry(nowhere))));
        assertTrue(e.getMessage().contains("oci+http://127.0.0.1:" + closed + "/bpfstore/blobs"), e.getMessage());
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        // the data directory was released: a registry on local blobs starts on it at once
        try (TestRegistry again = TestRegistry.start(data, TestRegistry.config(data))) {
            assertEquals(401, again.send("GET", "/v2/", null, null, null).statusCode());
        }
    }

    @Test
    void blobStoreDownDuringARequestIs503AndNothingIsRecorded() throws Exception {
        Path data = tmp.resolve("data");
        String key = TestRegistry.createPublisher(data, "alice", "examples");
        Path backendDir = Files.createDirectories(tmp.resolve("backend"));
        DockerRegistryProcess backend = DockerRegistryProcess.start(backendDir);
        byte[] before = random(1000, 3);
        byte[] after = random(1000, 4);
        try (TestRegistry registry = start(data, OciBlobLocation.parse("oci+" + backend.url() + "/bpfstore/blobs",
                Optional.empty()))) {
            String push = registry.token("repository:" + REPO + ":pull,push", "alice", key);
            assertEquals(201, registry.pushBlob(REPO, before, push));
            String location = registry.send("POST", "/v2/" + REPO + "/blobs/uploads/", push, null, null).headers()
                    .firstValue("Location").orElseThrow();
            backend.close();

            HttpResponse<byte[]> r = registry.send("POST", "/v2/" + REPO + "/blobs/uploads/?digest="
                    + Digest.of(after), push, "application/octet-stream", after);
            assertEquals(503, r.statusCode());
            assertEquals("UNAVAILABLE", TestRegistry.errorCode(r));
            r = registry.send("PATCH", location, push, "application/octet-stream", after);
            assertEquals(503, r.statusCode());
            assertEquals("UNAVAILABLE", TestRegistry.errorCode(r));
            r = registry.send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(before), push, null, null);
            assertEquals(503, r.statusCode());
            assertEquals("UNAVAILABLE", TestRegistry.errorCode(r));
            r = registry.send("GET", location, push, null, null);
            assertEquals("0-0", r.headers().firstValue("Range").orElseThrow(), "the failed chunk was not counted");
        } finally {
            backend.close();
        }
        try (MetadataStore meta = DataDirectory.openMetadata(data)) {
            assertFalse(meta.repositories().isBlobLinked(REPO, Digest.of(after)), "a blob that was not stored");
            assertTrue(meta.repositories().isBlobLinked(REPO, Digest.of(before)));
        }
    }

    @Test
    void aChunkedUploadContinuesOnAnotherInstance() throws Exception {
        Path data = tmp.resolve("data");
        String key = TestRegistry.createPublisher(data, "alice", "examples");
        OciBlobLocation location = BlobBackend.freshRepository();
        byte[] blob = random(200_000, 5);
        String upload;
        try (TestRegistry first = start(data, location)) {
            String push = first.token("repository:" + REPO + ":pull,push", "alice", key);
            upload = first.send("POST", "/v2/" + REPO + "/blobs/uploads/", push, null, null).headers()
                    .firstValue("Location").orElseThrow();
            HttpResponse<byte[]> r = first.send("PATCH", upload, push, "application/octet-stream",
                    Arrays.copyOfRange(blob, 0, 70_000));
            assertEquals(202, r.statusCode());
        }
        // the first instance is gone, with whatever it held in memory; the second has only the database
        try (TestRegistry second = start(data, location)) {
            String push = second.token("repository:" + REPO + ":pull,push", "alice", key);
            HttpResponse<byte[]> r = second.send("PATCH", upload, push, "application/octet-stream",
                    Arrays.copyOfRange(blob, 70_000, 150_000));
            assertEquals(202, r.statusCode());
            assertEquals("0-149999", r.headers().firstValue("Range").orElseThrow());
            r = second.send("PUT", upload + "?digest=" + Digest.of(blob), push, "application/octet-stream",
                    Arrays.copyOfRange(blob, 150_000, blob.length));
            assertEquals(201, r.statusCode());
            assertArrayEquals(blob, second.send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(blob), push, null,
                    null).body());
        }
    }

    @Test
    void garbageCollectionRemovesUnreferencedBlobsFromTheBackend() throws Exception {
        Path data = tmp.resolve("data");
        String key = TestRegistry.createPublisher(data, "alice", "examples");
        OciBlobLocation location = BlobBackend.freshRepository();
        RegistryConfig config = TestRegistry.config(data).withBlobs(new BlobLocation.Registry(location))
                .withMaintenance(new MaintenancePolicy(Duration.ZERO, Duration.ofHours(1), Duration.ZERO));
        byte[] orphan = random(5000, 6);
        PackageImage image = PackageImage.of(new PackageImage.Spec("examples", "app", "1.0.0", "kept",
                "GPL-2.0-only", Map.of("xdp_count", "xdp"), List.of("xdp"), List.of("bpf_map_lookup_elem")));
        try (TestRegistry registry = TestRegistry.start(data, config)) {
            String push = registry.token("repository:" + REPO + ":pull,push", "alice", key);
            assertEquals(201, registry.push(REPO, "1.0.0", image, push).statusCode());
            assertEquals(201, registry.pushBlob(REPO, orphan, push));
            Thread.sleep(1100); // anchors carry whole seconds; grace zero needs the orphan strictly older
            MaintenanceReport report = registry.server.runMaintenance(false);
            assertEquals(1, report.deletedBlobs(), report.summary());
            URI backendBlob = URI.create(location.registry() + "/v2/" + location.repository() + "/blobs/");
            assertEquals(404, registry.http.send(HttpRequest.newBuilder(URI.create(backendBlob + Digest.of(orphan)
                    .toString())).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "the orphan left the backend");
            for (byte[] kept : List.of(image.config(), image.layer())) {
                assertEquals(200, registry.send("HEAD", "/v2/" + REPO + "/blobs/" + Digest.of(kept), push, null,
                        null).statusCode());
            }
            assertEquals(404, registry.send("HEAD", "/v2/" + REPO + "/blobs/" + Digest.of(orphan), push, null,
                    null).statusCode());
        }
    }

    @Test
    void aPrivateBackendIsReachedWithTheTokenFlow() throws Exception {
        // the backend: another bpfstore registry, private, that hands out bearer tokens for Basic credentials
        Path backendData = tmp.resolve("backend");
        String storeKey = TestRegistry.createPublisher(backendData, "store", "blobs");
        Path data = tmp.resolve("data");
        String key = TestRegistry.createPublisher(data, "alice", "examples");
        try (TestRegistry backend = TestRegistry.start(backendData, TestRegistry.config(backendData)
                .withPrivatePull(true))) {
            OciBlobLocation denied = OciBlobLocation.parse("oci+http://" + backend.hostPort() + "/blobs/all",
                    Optional.empty());
            BlobStoreUnavailableException e = assertThrows(BlobStoreUnavailableException.class,
                    () -> RegistryServer.start(TestRegistry.config(data).withBlobs(new BlobLocation.Registry(denied))));
            assertTrue(e.getMessage().contains("UNAUTHORIZED") || e.getMessage().contains("401"), e.getMessage());

            OciBlobLocation allowed = OciBlobLocation.parse("oci+http://" + backend.hostPort() + "/blobs/all",
                    Optional.of(new Credentials("store", storeKey)));
            try (TestRegistry registry = start(data, allowed)) {
                String push = registry.token("repository:" + REPO + ":pull,push", "alice", key);
                byte[] blob = "through a token".getBytes(StandardCharsets.UTF_8);
                assertEquals(201, registry.pushBlob(REPO, blob, push));
                assertArrayEquals(blob, registry.send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(blob), push,
                        null, null).body());
            }
        }
    }

    @Test
    void aBackendWithBasicAuthenticationIsReachedWithTheCredentials() throws Exception {
        Path data = tmp.resolve("data");
        String key = TestRegistry.createPublisher(data, "alice", "examples");
        DockerRegistryProcess backend = DockerRegistryProcess.startWithBasicAuth(tmp.resolve("basic"), "blobs",
                "s3cret-pass");
        try {
            String url = "oci+" + backend.url() + "/bpfstore/blobs";
            BlobStoreUnavailableException e = assertThrows(BlobStoreUnavailableException.class, () ->
                    RegistryServer.start(TestRegistry.config(data).withBlobs(new BlobLocation.Registry(
                            OciBlobLocation.parse(url, Optional.of(new Credentials("blobs", "wrong")))))));
            assertTrue(e.getMessage().contains("401"), e.getMessage());
            try (TestRegistry registry = start(data, OciBlobLocation.parse(url,
                    Optional.of(new Credentials("blobs", "s3cret-pass"))))) {
                String push = registry.token("repository:" + REPO + ":pull,push", "alice", key);
                byte[] blob = random(300_000, 7);
                String upload = registry.send("POST", "/v2/" + REPO + "/blobs/uploads/", push, null, null).headers()
                        .firstValue("Location").orElseThrow();
                assertEquals(202, registry.send("PATCH", upload, push, "application/octet-stream",
                        Arrays.copyOfRange(blob, 0, 100_000)).statusCode());
                assertEquals(201, registry.send("PUT", upload + "?digest=" + Digest.of(blob), push,
                        "application/octet-stream", Arrays.copyOfRange(blob, 100_000, blob.length)).statusCode());
                assertArrayEquals(blob, registry.send("GET", "/v2/" + REPO + "/blobs/" + Digest.of(blob), push, null,
                        null).body());
            }
        } finally {
            backend.close();
        }
    }
}
