package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.registry.storage.postgres.PostgresAddress;
import io.bpfstore.registry.storage.postgres.PostgresMetadataStore;
import io.bpfstore.store.image.SearchQuery;
import io.bpfstore.testsupport.PostgresCluster;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code registry index add/list/refresh/remove} against a real docker-registry holding a pushed package, on a
 * data directory and on the scaled set-up's database (the throwaway PostgreSQL cluster, password from a password
 * file), and {@code serve --blobs} refusing an unreachable or malformed blob store in one line.
 */
class RegistryIndexCommandTest extends DockerRegistryCommandTest {

    @Test
    void indexAddListsTheTagsThenReindexesIncrementallyAndRemoves() {
        Path layout = packaged("xdp_counter.o", "acme");
        assertEquals(0, Cli.run("push", layout.toString(), "--registry", REGISTRY.url()).exit());
        Path data = dir.resolve("data");

        Cli.Result add = Cli.run("registry", "index", "add", REGISTRY.url() + "/acme/xdp-counter", "--data",
                data.toString());
        assertEquals(0, add.exit(), add.err());
        assertEquals("indexed\tacme/xdp-counter:0.1.0\tacme/xdp-counter@0.1.0 (bpfstore)", add.out().strip());
        assertTrue(add.err().contains("1 indexed, 0 unchanged"), add.err());

        Cli.Result again = Cli.run("registry", "index", "refresh", "--data", data.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().startsWith("unchanged\tacme/xdp-counter:0.1.0"), again.out());

        Cli.Result list = Cli.run("registry", "index", "list", "--data", data.toString());
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().startsWith(REGISTRY.url() + "/acme/xdp-counter\t1 image"), list.out());
        assertTrue(list.out().contains("acme/xdp-counter:0.1.0\tacme/xdp-counter@0.1.0\tbpfstore\tsha256:"));

        assertEquals(0, Cli.run("registry", "index", "remove", REGISTRY.url() + "/acme/xdp-counter", "--data",
                data.toString()).exit());
        Cli.Result gone = Cli.run("registry", "index", "remove", REGISTRY.url() + "/acme/xdp-counter", "--data",
                data.toString());
        assertEquals(1, gone.exit());
        assertEquals(1, gone.err().lines().count(), gone.err());

        Cli.Result bad = Cli.run("registry", "index", "add", "ftp://example/x", "--data", data.toString());
        assertEquals(2, bad.exit(), bad.err());
    }

    @Test
    void indexWorksOnTheScaledSetUpsDatabase() throws Exception {
        Path layout = packaged("xdp_counter.o", "acme");
        assertEquals(0, Cli.run("push", layout.toString(), "--registry", REGISTRY.url()).exit());
        PostgresCluster cluster = PostgresCluster.shared();
        usePasswordFile(cluster);
        try {
            String db = cluster.url(cluster.newDatabase());
            String origin = REGISTRY.url() + "/acme/xdp-counter";
            Cli.Result noBlobs = Cli.run("registry", "index", "add", origin, "--database", db);
            assertEquals(2, noBlobs.exit(), noBlobs.err());
            assertTrue(noBlobs.err().contains("--blobs"), noBlobs.err());

            Path blobs = dir.resolve("shared-blobs");
            Cli.Result add = Cli.run("registry", "index", "add", origin, "--database", db, "--blobs",
                    blobs.toString());
            assertEquals(0, add.exit(), add.err());
            assertEquals("indexed\tacme/xdp-counter:0.1.0\tacme/xdp-counter@0.1.0 (bpfstore)", add.out().strip());
            try (PostgresMetadataStore store = PostgresMetadataStore.open(PostgresAddress.parse(db),
                    Optional.of(cluster.password()))) {
                assertEquals(1, store.packages().search(SearchQuery.text("counter")).total(),
                        "the copy is in the database's search");
            }
            Cli.Result again = Cli.run("registry", "index", "refresh", "--database", db, "--blobs", blobs.toString());
            assertEquals(0, again.exit(), again.err());
            assertTrue(again.out().startsWith("unchanged\tacme/xdp-counter:0.1.0"), again.out());
            Cli.Result list = Cli.run("registry", "index", "list", "--database", db);
            assertEquals(0, list.exit(), list.err());
            assertTrue(list.out().startsWith(origin + "\t1 image"), list.out());
            assertEquals(0, Cli.run("registry", "index", "remove", origin, "--database", db).exit());
            assertEquals("", Cli.run("registry", "index", "list", "--database", db).out());
        } finally {
            System.clearProperty("org.postgresql.pgpassfile");
        }
    }

    @Test
    void migrateCopiesTheBlobsIntoAnOciRegistry() throws Exception {
        Path layout = packaged("xdp_counter.o", "acme");
        assertEquals(0, Cli.run("push", layout.toString(), "--registry", REGISTRY.url()).exit());
        Path data = dir.resolve("data");
        assertEquals(0, Cli.run("registry", "index", "add", REGISTRY.url() + "/acme/xdp-counter", "--data",
                data.toString()).exit());
        PostgresCluster cluster = PostgresCluster.shared();
        usePasswordFile(cluster);
        try {
            String db = cluster.url(cluster.newDatabase());
            String blobs = "oci+" + REGISTRY.url() + "/bpfstore-migrated/blobs";
            Cli.Result migrated = Cli.run("registry", "migrate", "--from", data.toString(), "--to", db, "--blobs",
                    blobs);
            assertEquals(0, migrated.exit(), migrated.err());
            assertTrue(migrated.out().contains("serve it with: bpfstore serve --database " + db + " --blobs " + blobs),
                    migrated.out());
            long local;
            try (java.util.stream.Stream<Path> files = Files.walk(data.resolve("blobs/sha256"))) {
                local = files.filter(Files::isRegularFile).count();
            }
            assertTrue(migrated.out().contains("blobs: " + local), migrated.out());
            var location = io.bpfstore.registry.storage.oci.OciBlobLocation.parse(blobs, Optional.empty());
            assertEquals(local, io.bpfstore.registry.storage.oci.OciBlobStore.open(location, 1 << 20,
                    java.time.Clock.systemUTC()).list().size(), "every blob in the OCI registry");

            Cli.Result bad = Cli.run("registry", "migrate", "--from", data.toString(), "--to", db, "--blobs",
                    "oci+http://127.0.0.1:5000/");
            assertEquals(2, bad.exit(), bad.err());
            assertTrue(bad.err().contains("--blobs"), bad.err());
        } finally {
            System.clearProperty("org.postgresql.pgpassfile");
        }
    }

    /** The password of the cluster's role in a password file the driver reads (as it reads PGPASSFILE). */
    private void usePasswordFile(PostgresCluster cluster) throws java.io.IOException {
        Path file = Files.writeString(dir.resolve("pgpass"),
                String.join(":", "127.0.0.1", String.valueOf(cluster.port()), "*", "bpfstore", cluster.password()));
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        System.setProperty("org.postgresql.pgpassfile", file.toString());
    }

    @Test
    void serveRefusesAnUnreachableOrMalformedBlobStoreInOneLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String url = "oci+http://127.0.0.1:" + closed + "/bpfstore/blobs";
        Cli.Result r = Cli.run("serve", "--listen", "127.0.0.1:0", "--data", dir.resolve("d").toString(),
                "--blobs", url);
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("bpfstore serve: blob store " + url), r.err());
        assertTrue(r.err().contains("connection refused"), r.err());

        Cli.Result bad = Cli.run("serve", "--listen", "127.0.0.1:0", "--data", dir.resolve("d").toString(),
                "--blobs", "oci+http://127.0.0.1:5000/");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().startsWith("bpfstore serve: --blobs"), bad.err());
    }
}
