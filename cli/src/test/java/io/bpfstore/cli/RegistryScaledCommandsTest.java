package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.testsupport.FreePort;
import io.bpfstore.testsupport.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scaled set-up's command line: {@code serve --database}, {@code publisher --database} and
 * {@code registry migrate}, against a throwaway PostgreSQL cluster; the password comes from PostgreSQL's password
 * file (the driver reads the file {@code org.postgresql.pgpassfile} names, as it reads {@code PGPASSFILE}).
 */
class RegistryScaledCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void badStorageOptionsAreUsageErrorsAndAnUnreachableDatabaseIsOneLine() {
        String nowhere = "postgresql://bpfstore@127.0.0.1:" + FreePort.onLoopback() + "/none";
        for (List<String> args : List.of(
                List.of("serve", "--listen", "127.0.0.1:0"),
                List.of("serve", "--listen", "127.0.0.1:0", "--database", nowhere),
                List.of("serve", "--listen", "127.0.0.1:0", "--data", tmp.toString(), "--database", nowhere,
                        "--blobs", tmp.toString()),
                List.of("serve", "--listen", "127.0.0.1:0", "--database", "postgresql://u:secret@h/db", "--blobs",
                        tmp.toString()),
                List.of("publisher", "token", "alice"),
                List.of("registry", "migrate", "--from", tmp.toString(), "--to", "mysql://x"))) {
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertEquals(2, r.exit(), args + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(!r.err().contains("secret"), "the password is not echoed: " + r.err());
        }
        Cli.Result r = Cli.run("serve", "--listen", "127.0.0.1:0", "--database", nowhere, "--blobs",
                tmp.resolve("blobs").toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("cannot open the registry's storage (database " + nowhere.replace("/none",
                "/none")), r.err());
    }

    @Test
    void publisherAndMigrateWorkOnTheDatabase() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        Path pgpass = tmp.resolve("pgpass");
        Files.writeString(pgpass, "127.0.0.1:" + cluster.port() + ":*:bpfstore:" + cluster.password() + "\n");
        Files.setPosixFilePermissions(pgpass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try {
            String url = cluster.url(cluster.newDatabase());
            Cli.Result created = Cli.run("publisher", "create", "alice", "--namespace", "examples", "--database", url);
            assertEquals(0, created.exit(), created.err());
            assertTrue(created.out().strip().startsWith("bpfs_"), created.out());
            Cli.Result again = Cli.run("publisher", "create", "alice", "--namespace", "other", "--database", url);
            assertEquals(1, again.exit());
            assertTrue(again.err().contains("already exists"), again.err());

            Path data = tmp.resolve("data");
            assertEquals(0, Cli.run("publisher", "create", "bob", "--namespace", "bobs", "--data", data.toString())
                    .exit());
            String target = cluster.url(cluster.newDatabase());
            Cli.Result migrated = Cli.run("registry", "migrate", "--from", data.toString(), "--to", target,
                    "--blobs", tmp.resolve("blobs").toString());
            assertEquals(0, migrated.exit(), migrated.err());
            assertTrue(migrated.out().contains("publishers: 1"), migrated.out());
            assertTrue(migrated.out().contains("bpfstore serve --database " + target), migrated.out());
            Cli.Result token = Cli.run("publisher", "token", "bob", "--database", target);
            assertEquals(0, token.exit(), "bob arrived with the migration: " + token.err());
        } finally {
            System.clearProperty("org.postgresql.pgpassfile");
        }
    }
}
