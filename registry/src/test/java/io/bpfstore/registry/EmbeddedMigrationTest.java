package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.server.RegistryStorage;
import io.bpfstore.registry.storage.postgres.EmbeddedMigration;
import io.bpfstore.registry.storage.postgres.PostgresAddress;
import io.bpfstore.registry.storage.postgres.PostgresMetadataStore;
import io.bpfstore.store.image.Digest;
import io.bpfstore.testsupport.PostgresCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EmbeddedMigration}: an embedded registry with packages (one yanked, some downloaded), accounts and many
 * blobs is copied into PostgreSQL and a blob directory; killed part-way with SIGKILL and run again, the copy
 * then serves exactly what the embedded registry served.
 */
class EmbeddedMigrationTest {
    static final int EXTRA_BLOBS = 150;

    @TempDir
    Path tmp;
    PostgresCluster cluster;
    Path data;
    String aliceKey;
    /** A bearer token the embedded registry issued before the migration. */
    String issuedBefore;
    List<PackageImage.Spec> specs;

    @BeforeEach
    void populate() throws Exception {
        cluster = PostgresCluster.shared();
        data = tmp.resolve("embedded");
        aliceKey = TestRegistry.createPublisher(data, "alice", "examples", "tracing");
        TestRegistry.createPublisher(data, "bob", "bobs");
        specs = List.of(ScaledRegistryTest.spec("1.0.0", "Counts packets per CPU"),
                ScaledRegistryTest.spec("1.1.0", "Counts packets and bytes per CPU"),
                new PackageImage.Spec("tracing", "open-trace", "2.0.0", "Traces file opens", "Apache-2.0",
                        Map.of("xdp_count", "xdp"), List.of("xdp"), List.of("bpf_map_lookup_elem")));
        try (TestRegistry embedded = TestRegistry.start(data, TestRegistry.config(data))) {
            for (PackageImage.Spec s : specs) {
                String repo = s.namespace() + "/" + s.name();
                String token = embedded.token("repository:" + repo + ":pull,push", "alice", aliceKey);
                assertEquals(201, embedded.push(repo, s.version(), PackageImage.of(s), token).statusCode());
            }
            String token = embedded.token("repository:examples/xdp-counter:pull,push", "alice", aliceKey);
            issuedBefore = token;
            assertEquals(200, embedded.send("GET", "/v2/examples/xdp-counter/manifests/1.0.0", token, null, null)
                    .statusCode());
            assertEquals(200, embedded.send("POST", "/api/v1/packages/examples/xdp-counter/1.1.0/yank", aliceKey,
                    null, null).statusCode());
            Random random = new Random(9);
            for (int i = 0; i < EXTRA_BLOBS; i++) {
                byte[] blob = new byte[8192];
                random.nextBytes(blob);
                assertEquals(201, embedded.pushBlob("examples/xdp-counter", blob, token));
            }
        }
    }

    @Test
    void aMigrationKilledPartWayAndRunAgainServesWhatTheEmbeddedRegistryServed() throws Exception {
        String db = cluster.newDatabase();
        String url = cluster.url(db);
        Path blobs = tmp.resolve("shared-blobs");
        Process first = migrationProcess(url, blobs);
        BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
        int copied = 0;
        for (String line; copied < 20 && (line = out.readLine()) != null; ) {
            if (line.startsWith("copied blob")) {
                copied++;
            }
        }
        first.destroyForcibly(); // SIGKILL, part-way through the blobs
        first.waitFor(10, TimeUnit.SECONDS);
        assertEquals(20, copied, "the first run was still copying blobs when killed");
        long partial = countFiles(blobs.resolve("sha256"));
        long all = countFiles(data.resolve("blobs/sha256"));
        assertTrue(partial < all, "killed part-way: " + partial + " of " + all + " blobs");
        assertEquals("0", cluster.psql(db, "SELECT count(*) FROM publishers"), "no rows before the blobs are done");

        try (PostgresMetadataStore early = PostgresMetadataStore.open(PostgresAddress.parse(url),
                Optional.of(cluster.password()))) {
            early.tokenKey(); // as an instance started on the database before the migration would
        }
        List<String> progress = new ArrayList<>();
        Map<String, Long> counts = EmbeddedMigration.run(data, PostgresAddress.parse(url),
                Optional.of(cluster.password()), Optional.of(blobs), progress::add);
        assertEquals(all, counts.get("blobs"));
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("verified blob")), "the second run verified what the"
                + " first had copied");
        assertEquals(2L, counts.get("publishers"));
        assertEquals(3L, counts.get("package versions"));
        assertEquals(1L, counts.get("token key"));
        assertTrue(progress.contains("copied the token signing key, replacing the database's: restart instances"
                + " already serving this database"), progress.toString());

        // every blob byte for byte
        try (Stream<Path> files = Files.walk(data.resolve("blobs/sha256"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(blobs.resolve(data.resolve("blobs")
                        .relativize(f))));
            }
        }
        // and the same answers over HTTP
        try (TestRegistry embedded = TestRegistry.start(data, TestRegistry.config(data));
             TestRegistry scaled = TestRegistry.wrap(blobs, RegistryServer.start(TestRegistry.config(blobs).withStorage(
                     new RegistryStorage.Scaled(PostgresAddress.parse(url), Optional.of(cluster.password()), blobs))))) {
            for (String path : List.of("/api/v1/search?q=", "/api/v1/search?q=counts", "/api/v1/search?type=xdp",
                    "/api/v1/packages/examples/xdp-counter", "/api/v1/packages/tracing/open-trace")) {
                assertEquals(embedded.getJson(path), scaled.getJson(path), path);
            }
            // a bearer token issued before the migration is still valid: token.key became the database's key
            // (a push scope: anonymous pulls would pass without it)
            assertEquals(202, scaled.send("POST", "/v2/examples/xdp-counter/blobs/uploads/", issuedBefore, null, null)
                    .statusCode());
            JsonNode versions = scaled.getJson("/api/v1/packages/examples/xdp-counter").path("versions");
            assertTrue(versions.toString().contains("\"yanked\":true"), versions.toString());
            for (PackageImage.Spec s : specs) {
                String repo = s.namespace() + "/" + s.name();
                // alice's API token still works: only its hash was stored, and the hash was copied
                String token = scaled.token("repository:" + repo + ":pull", "alice", aliceKey);
                PackageImage image = PackageImage.of(s);
                assertArrayEquals(image.manifest(), scaled.send("GET", "/v2/" + repo + "/manifests/" + s.version(),
                        token, null, null).body());
                assertEquals(200, scaled.send("HEAD", "/v2/" + repo + "/blobs/" + image.layerDigest(), token, null,
                        null).statusCode());
            }
        }
    }

    @Test
    void aCorruptBlobStopsTheMigrationNamingIt() throws Exception {
        Path victim;
        try (Stream<Path> files = Files.walk(data.resolve("blobs/sha256"))) {
            victim = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(victim);
        bytes[0] ^= 1;
        Files.write(victim, bytes);
        String url = cluster.url(cluster.newDatabase());
        EmbeddedMigration.MigrationException e = assertThrows(EmbeddedMigration.MigrationException.class,
                () -> EmbeddedMigration.run(data, PostgresAddress.parse(url), Optional.of(cluster.password()),
                        Optional.of(tmp.resolve("out")), line -> { }));
        assertTrue(e.getMessage().contains(victim.getFileName().toString()), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("out/sha256").resolve(victim.getParent().getFileName())
                .resolve(victim.getFileName())), "the corrupt blob was not copied");
        assertEquals(Digest.parse("sha256:" + victim.getFileName()).hex(), victim.getFileName().toString());
    }

    private Process migrationProcess(String url, Path blobs) throws Exception {
        ProcessBuilder b = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), MigrationProcess.class.getName(), data.toString(), url,
                blobs.toString()).redirectErrorStream(true);
        b.environment().put("PGPASSWORD", cluster.password());
        return b.start();
    }

    private static long countFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** The migration in a process of its own, so the test can kill it; prints each progress line. */
    static final class MigrationProcess {
        public static void main(String[] args) throws Exception {
            EmbeddedMigration.run(Path.of(args[0]), PostgresAddress.parse(args[1]),
                    RegistryStorage.Scaled.passwordFromEnvironment(), Optional.of(Path.of(args[2])), line -> {
                        System.out.println(line);
                        System.out.flush();
                    });
        }
    }
}
