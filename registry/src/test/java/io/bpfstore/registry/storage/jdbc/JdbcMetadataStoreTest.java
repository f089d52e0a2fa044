package io.bpfstore.registry.storage.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.ConflictException;
import io.bpfstore.registry.storage.IndexedImage;
import io.bpfstore.registry.storage.IndexedOrigins;
import io.bpfstore.registry.storage.ManifestRecord;
import io.bpfstore.registry.storage.Publisher;
import io.bpfstore.registry.storage.Repositories;
import io.bpfstore.registry.storage.UploadSession;
import io.bpfstore.registry.storage.UploadSessions;
import io.bpfstore.registry.storage.postgres.PostgresAddress;
import io.bpfstore.registry.storage.postgres.PostgresMetadataStore;
import io.bpfstore.registry.storage.sqlite.SqliteMetadataStore;
import io.bpfstore.store.image.Digest;
import io.bpfstore.testsupport.PostgresCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tables written once in {@code storage.jdbc}, called directly on both databases: the same calls must give
 * the same answers on SQLite and on PostgreSQL, including the conflicts and compare-and-sets the registry relies
 * on.
 */
class JdbcMetadataStoreTest {
    /** The two databases under the shared tables. */
    enum Database {
        SQLITE, POSTGRESQL;

        JdbcMetadataStore open(Path dir) {
            return switch (this) {
                case SQLITE -> SqliteMetadataStore.open(dir.resolve("registry.db"));
                case POSTGRESQL -> {
                    PostgresCluster cluster = PostgresCluster.shared();
                    yield PostgresMetadataStore.open(PostgresAddress.parse(cluster.url(cluster.newDatabase())),
                            Optional.of(cluster.password()));
                }
            };
        }
    }

    private static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Database.class)
    void accountsRefuseATakenNameOrNamespaceAndKeepWhatWasThere(Database database) {
        try (JdbcMetadataStore store = database.open(dir)) {
            Accounts accounts = store.accounts();
            assertEquals(new Publisher("acme", List.of("acme", "acme-labs")),
                    accounts.createPublisher("acme", List.of("acme-labs", "acme")));
            ConflictException name = assertThrows(ConflictException.class,
                    () -> accounts.createPublisher("acme", List.of("other")));
            assertEquals("publisher acme already exists", name.getMessage());
            ConflictException ns = assertThrows(ConflictException.class,
                    () -> accounts.createPublisher("rival", List.of("rival", "acme-labs")));
            assertEquals("namespace acme-labs is owned by acme", ns.getMessage());
            // the refused creation is rolled back whole: neither the publisher nor its first namespace stays
            assertEquals(Optional.empty(), accounts.publisher("rival"));
            assertEquals(Optional.empty(), accounts.namespaceOwner("rival"));
            assertEquals(Optional.of("acme"), accounts.namespaceOwner("acme-labs"));

            accounts.addToken("acme", "ab".repeat(32));
            assertEquals(Optional.of("acme"), accounts.publisherForToken("ab".repeat(32)));
            assertEquals(Optional.empty(), accounts.publisherForToken("cd".repeat(32)));

            accounts.addSigningKey("acme", "fp1", "PEM 1");
            accounts.addSigningKey("acme", "fp1", "PEM again"); // a key already there is kept as it was
            accounts.addSigningKey("acme", "fp0", "PEM 0");
            assertEquals(Map.of("fp0", "PEM 0", "fp1", "PEM 1"), accounts.signingKeys("acme"));
            assertEquals(List.of("fp0", "fp1"), List.copyOf(accounts.signingKeys("acme").keySet()));

            assertFalse(accounts.signaturesRequired("acme"));
            accounts.requireSignatures("acme", true);
            accounts.requireSignatures("acme", true);
            assertTrue(accounts.signaturesRequired("acme"));
            accounts.requireSignatures("acme", false);
            assertFalse(accounts.signaturesRequired("acme"));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void anUploadAdvancesOnlyFromTheOffsetItIsAt(Database database) {
        try (JdbcMetadataStore store = database.open(dir)) {
            UploadSessions uploads = store.uploads();
            uploads.create(new UploadSession("u1", "acme/xdp", 0, T0));
            uploads.create(new UploadSession("u2", "acme/xdp", 0, T0.plusSeconds(60), "https://backend/u2"));
            assertTrue(uploads.advance("u1", 0, 100, "state-1"));
            assertFalse(uploads.advance("u1", 0, 200, "lost")); // a second appender from offset 0 loses
            assertEquals(Optional.of(new UploadSession("u1", "acme/xdp", 100, T0, "state-1")), uploads.find("u1"));
            assertEquals(List.of("u1"), ids(uploads.startedBefore(T0.plusSeconds(1))));
            assertEquals(List.of("u1", "u2"), ids(uploads.startedBefore(T0.plusSeconds(61))));
            assertTrue(uploads.delete("u1"));
            assertFalse(uploads.delete("u1"));
            assertEquals(Optional.empty(), uploads.find("u1"));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void repositoriesKeepLinksManifestsAndTagsInOrder(Database database) {
        try (JdbcMetadataStore store = database.open(dir)) {
            Repositories repos = store.repositories();
            Digest blob = Digest.of("layer".getBytes(StandardCharsets.UTF_8));
            repos.linkBlob("acme/xdp", blob);
            repos.linkBlob("acme/xdp", blob); // linking again is no error
            repos.linkBlob("acme/tc", blob);
            assertTrue(repos.isBlobLinked("acme/xdp", blob));
            assertTrue(repos.unlinkBlob("acme/xdp", blob));
            assertFalse(repos.unlinkBlob("acme/xdp", blob));
            assertEquals(1, repos.unlinkBlobEverywhere(blob));

            ManifestRecord first = manifest("acme/xdp", "one", Optional.empty());
            ManifestRecord second = manifest("acme/xdp", "two", Optional.of(first.digest()));
            repos.putManifest(first, Optional.of("v1"), Optional.empty(), true);
            repos.putManifest(first, Optional.of("B"), Optional.empty(), true); // stored once, tagged twice
            repos.putManifest(second, Optional.of("v1"), Optional.empty(), true); // the tag moves
            assertEquals(second.digest(), repos.taggedManifest("acme/xdp", "v1").orElseThrow().digest());
            assertEquals(List.of("B", "v1"), repos.tags("acme/xdp", null, 10)); // by code point, upper case first
            assertEquals(List.of("v1"), repos.tags("acme/xdp", "B", 10));
            assertEquals(List.of("acme/tc", "acme/xdp"), repos.list(null, 10));
            assertEquals(List.of("acme/xdp"), repos.list("acme/tc", 1));
            assertEquals(List.of(second.digest()),
                    repos.referrers("acme/xdp", first.digest()).stream().map(ManifestRecord::digest).toList());
            ManifestRecord read = repos.manifest("acme/xdp", first.digest()).orElseThrow();
            assertEquals("one", new String(read.content(), StandardCharsets.UTF_8));
            assertEquals(first.createdAt(), read.createdAt());

            assertTrue(repos.deleteManifest("acme/xdp", first.digest()));
            assertEquals(Optional.empty(), repos.taggedManifest("acme/xdp", "B")); // its tags went with it
            assertTrue(repos.deleteTag("acme/xdp", "v1"));
            assertFalse(repos.deleteTag("acme/xdp", "v1"));
            List<Digest> all = new ArrayList<>();
            repos.forEachManifest(m -> all.add(m.digest()));
            assertEquals(List.of(second.digest()), all);
            assertTrue(repos.exists("acme/xdp"));
            assertFalse(repos.exists("acme/none"));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void anOriginsImagesAreReplacedByTagAndGoWithIt(Database database) {
        try (JdbcMetadataStore store = database.open(dir)) {
            IndexedOrigins origins = store.indexedOrigins();
            assertTrue(origins.addOrigin("https://b.example", T0));
            assertTrue(origins.addOrigin("https://a.example", T0));
            assertFalse(origins.addOrigin("https://a.example", T0));
            assertEquals(List.of("https://a.example", "https://b.example"), origins.origins());

            IndexedImage old = image("https://a.example", "net/xdp", "v1", "sha256:" + "1".repeat(64), T0);
            IndexedImage again = image("https://a.example", "net/xdp", "v1", "sha256:" + "2".repeat(64),
                    T0.plusSeconds(5));
            IndexedImage other = image("https://a.example", "net/tc", "v1", "sha256:" + "3".repeat(64), T0);
            origins.record(old);
            origins.record(again); // the same tag indexed again replaces the record
            origins.record(other);
            assertEquals(Optional.of(again), origins.find("https://a.example", "net/xdp", "v1"));
            assertEquals(List.of(other, again), origins.images("https://a.example"));

            assertTrue(origins.removeOrigin("https://a.example"));
            assertFalse(origins.removeOrigin("https://a.example"));
            assertEquals(List.of(), origins.images("https://a.example"));
            assertEquals(List.of("https://b.example"), origins.origins());
        }
    }

    private static List<String> ids(List<UploadSession> sessions) {
        return sessions.stream().map(UploadSession::id).toList();
    }

    private static ManifestRecord manifest(String repository, String body, Optional<Digest> subject) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        return new ManifestRecord(repository, Digest.of(content), "application/vnd.oci.image.manifest.v1+json",
                content, subject, Optional.of("application/vnd.bpfstore.package.v1"), T0);
    }

    private static IndexedImage image(String origin, String remote, String tag, String digest, Instant at) {
        return new IndexedImage(origin, remote, tag, digest, "indexed/" + remote.replace('/', '-'), "1.0.0",
                "bpfstore", at);
    }
}
