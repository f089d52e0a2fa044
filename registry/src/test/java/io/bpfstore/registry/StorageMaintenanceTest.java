package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.registry.maintenance.MaintenanceReport;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.store.image.Digest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage upkeep on a live registry: unreferenced blobs go after the grace period, referenced ones never,
 * abandoned uploads after their time to live; what stays still pulls intact.
 */
class StorageMaintenanceTest {
    static final PackageImage.Spec KEPT = new PackageImage.Spec("examples", "kept", "1.0.0", "stays", "MIT",
            Map.of("xdp_prog", "xdp"), List.of("xdp"), List.of());
    static final PackageImage.Spec DELETED = new PackageImage.Spec("examples", "deleted", "1.0.0", "goes", "MIT",
            Map.of("xdp_prog", "xdp"), List.of("xdp"), List.of());

    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path tmp;
    Path data;
    MovableClock clock = new MovableClock();
    RegistryServer server;
    TestRegistry registry;
    String key;
    String push;

    @BeforeEach
    void start() throws Exception {
        data = tmp.resolve("data");
        String key = TestRegistry.createPublisher(data, "alice", "examples");
        // interval 0: no periodic run; the test runs upkeep itself.
        server = RegistryServer.start(TestRegistry.config(data).withMaintenance(
                new io.bpfstore.registry.maintenance.MaintenancePolicy(Duration.ZERO, Duration.ofHours(24),
                        Duration.ofHours(1))), clock);
        registry = TestRegistry.wrap(data, server);
        this.key = key;
        renewToken();
    }

    /** Tokens live minutes; the test's clock jumps hours. */
    private void renewToken() throws Exception {
        push = registry.tokenFor("alice", key, "repository:examples/kept:pull,push,delete",
                "repository:examples/deleted:pull,push,delete", "repository:examples/scratch:pull,push");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private Set<String> storedBlobs() throws Exception {
        try (Stream<Path> s = Files.walk(data.resolve("blobs/sha256"))) {
            return s.filter(Files::isRegularFile).map(p -> "sha256:" + p.getFileName()).collect(Collectors.toSet());
        }
    }

    private int status(String method, String path) throws Exception {
        return registry.send(method, path, push, null, null).statusCode();
    }

    @Test
    void unreferencedBlobsGoAfterTheGracePeriodAndReferencedOnesStay() throws Exception {
        PackageImage kept = PackageImage.of(KEPT);
        PackageImage deleted = PackageImage.of(DELETED);
        assertEquals(201, registry.push("examples/kept", "1.0.0", kept, push).statusCode());
        assertEquals(201, registry.push("examples/deleted", "1.0.0", deleted, push).statusCode());
        assertEquals(202, status("DELETE", "/v2/examples/deleted/manifests/" + deleted.manifestDigest()));
        byte[] orphan = "uploaded, never referenced".getBytes(StandardCharsets.UTF_8);
        assertEquals(201, registry.pushBlob("examples/scratch", orphan, push));
        Set<String> before = storedBlobs();
        assertEquals(5, before.size(), "two images' config and layer, one orphan: " + before);

        MaintenanceReport young = server.runMaintenance(false);
        assertEquals(0, young.deletedBlobs(), "everything is within the grace period: " + young.summary());
        assertEquals(before, storedBlobs());

        clock.now = clock.now.plus(Duration.ofHours(2));
        renewToken();
        MaintenanceReport dry = server.runMaintenance(true);
        assertEquals(3, dry.deletedBlobs(), dry.summary());
        assertEquals(before, storedBlobs(), "a dry run removes nothing");

        MaintenanceReport swept = server.runMaintenance(false);
        assertEquals(3, swept.deletedBlobs(), swept.summary());
        assertEquals(2, swept.keptBlobs(), swept.summary());
        assertEquals(deleted.config().length + deleted.layer().length + orphan.length, swept.freedBytes());
        assertEquals(Set.of(kept.configDigest().toString(), kept.layerDigest().toString()), storedBlobs());
        assertEquals(404, status("HEAD", "/v2/examples/scratch/blobs/" + Digest.of(orphan)),
                "a collected blob is no longer linked into its repository");

        // What stays pulls intact, byte for byte.
        HttpResponse<byte[]> manifest = registry.send("GET", "/v2/examples/kept/manifests/1.0.0", push, null, null);
        assertEquals(200, manifest.statusCode());
        assertEquals(kept.manifestDigest(), Digest.of(manifest.body()));
        HttpResponse<byte[]> layer = registry.send("GET", "/v2/examples/kept/blobs/" + kept.layerDigest(), push,
                null, null);
        assertEquals(kept.layerDigest(), Digest.of(layer.body()));

        // A blob pushed again after collection is stored again and the manifest referencing it is accepted.
        assertEquals(201, registry.push("examples/deleted", "1.0.0", deleted, push).statusCode());
    }

    @Test
    void abandonedUploadsExpireAndStrayStagedBytesGo() throws Exception {
        HttpResponse<byte[]> started = registry.send("POST", "/v2/examples/scratch/blobs/uploads/", push, null, null);
        assertEquals(202, started.statusCode());
        String location = started.headers().firstValue("Location").orElseThrow();
        byte[] chunk = "first chunk".getBytes(StandardCharsets.UTF_8);
        assertEquals(202, registry.send("PATCH", location, push, "application/octet-stream", chunk).statusCode());
        Path stray = data.resolve("blobs/uploads/0badc0de-stray");
        Files.write(stray, chunk);
        Files.setLastModifiedTime(stray, FileTime.from(clock.now.minus(Duration.ofDays(3))));

        clock.now = clock.now.plus(Duration.ofHours(23));
        renewToken();
        MaintenanceReport early = server.runMaintenance(false);
        assertEquals(0, early.expiredUploads(), early.summary());
        assertEquals(1, early.strayUploads(), "staged bytes without a session, days old: " + early.summary());
        assertFalse(Files.exists(stray));
        assertEquals(204, status("GET", location), "a live session still answers");

        clock.now = clock.now.plus(Duration.ofHours(2));
        renewToken();
        MaintenanceReport late = server.runMaintenance(false);
        assertEquals(1, late.expiredUploads(), late.summary());
        assertEquals(404, status("GET", location), "the expired session is gone");
        try (Stream<Path> s = Files.list(data.resolve("blobs/uploads"))) {
            assertTrue(s.findAny().isEmpty(), "no staged bytes remain");
        }
    }
}
