package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.registry.server.BlobLocation;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.server.RegistryStorage;
import io.bpfstore.registry.storage.oci.OciBlobLocation;
import io.bpfstore.registry.storage.oci.OciBlobStore;
import io.bpfstore.registry.storage.postgres.EmbeddedMigration;
import io.bpfstore.registry.storage.postgres.PostgresAddress;
import io.bpfstore.testsupport.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EmbeddedMigration} into the stateless scaled set-up: the blobs go into a repository of a real
 * docker-registry (the shared one, {@link SharedDockerRegistry}), the rest into PostgreSQL; a second run only
 * verifies what is there; a registry on that database and blob store then serves the package byte for byte.
 */
@ExtendWith(SharedDockerRegistry.class)
class EmbeddedMigrationOciTest {
    @TempDir
    Path tmp;

    @Test
    void blobsAreCopiedIntoAnOciRegistryAndServedFromThere() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        Path data = tmp.resolve("embedded");
        String key = TestRegistry.createPublisher(data, "alice", "examples");
        PackageImage.Spec spec = ScaledRegistryTest.spec("1.0.0", "Counts packets per CPU");
        PackageImage image = PackageImage.of(spec);
        String repo = spec.namespace() + "/" + spec.name();
        try (TestRegistry embedded = TestRegistry.start(data, TestRegistry.config(data))) {
            String token = embedded.token("repository:" + repo + ":pull,push", "alice", key);
            assertEquals(201, embedded.push(repo, spec.version(), image, token).statusCode());
        }

        OciBlobLocation location = BlobBackend.freshRepository();
        PostgresAddress database = PostgresAddress.parse(cluster.url(cluster.newDatabase()));
        Optional<EmbeddedMigration.BlobTarget> target = Optional.of(
                () -> OciBlobStore.open(location, Long.MAX_VALUE, Clock.systemUTC()));
        Map<String, Long> counts = EmbeddedMigration.runInto(data, database, Optional.of(cluster.password()), target,
                line -> { });
        List<String> local;
        try (Stream<Path> files = Files.walk(data.resolve("blobs/sha256"))) {
            local = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(local.size(), counts.get("blobs"));
        RegistryConfig config = TestRegistry.config(tmp.resolve("scaled")).withBlobs(new BlobLocation.Registry(location));
        assertEquals(local, BlobBackend.OCI.storedBlobs(config, tmp.resolve("scaled")), "every blob in the backend");

        List<String> again = new ArrayList<>();
        EmbeddedMigration.runInto(data, database, Optional.of(cluster.password()), target, again::add);
        List<String> blobLines = again.stream().filter(l -> l.contains(" blob ")).toList();
        assertEquals(local.size(), blobLines.size(), again.toString());
        assertTrue(blobLines.stream().allMatch(l -> l.startsWith("verified blob")), "nothing copied twice: " + again);

        try (TestRegistry scaled = TestRegistry.wrap(tmp.resolve("scaled"), RegistryServer.start(config.withStorage(
                new RegistryStorage.Scaled(database, Optional.of(cluster.password()), config.blobs()))))) {
            String token = scaled.token("repository:" + repo + ":pull", "alice", key);
            assertArrayEquals(image.manifest(), scaled.send("GET", "/v2/" + repo + "/manifests/" + spec.version(),
                    token, null, null).body());
            assertArrayEquals(image.layer(), scaled.send("GET", "/v2/" + repo + "/blobs/" + image.layerDigest(),
                    token, null, null).body());
            assertEquals(1, scaled.getJson("/api/v1/search?q=counts").path("total").asLong());
        }
    }
}
