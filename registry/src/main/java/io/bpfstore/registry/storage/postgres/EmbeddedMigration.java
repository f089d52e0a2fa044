package io.bpfstore.registry.storage.postgres;

import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.BlobStoreException;
import io.bpfstore.registry.storage.MetadataException;
import io.bpfstore.registry.storage.StoredBlob;
import io.bpfstore.registry.storage.files.FileBlobStore;
import io.bpfstore.registry.storage.index.PackageTables;
import io.bpfstore.registry.storage.jdbc.Jdbc;
import io.bpfstore.store.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Copies an embedded registry (a data directory: SQLite and blob files) into the scaled set-up (a PostgreSQL
 * database, and optionally another blob directory), verifying every digest: each blob is hashed as it is read
 * and must hash to its name, each manifest's bytes to its digest. Every step is idempotent (rows are inserted
 * unless present, blobs published atomically unless present), so an interrupted migration is resumed by
 * running it again; nothing half-copied is ever visible (a blob appears only verified, rows arrive in
 * committed batches). The token signing key ({@code token.key}) becomes the database's, so bearer tokens issued
 * before the migration stay valid. Upload sessions are not copied: clients restart unfinished uploads. Stop the
 * embedded registry first, or pushes made during the copy may be missed.
 */
public final class EmbeddedMigration {
    private static final int BATCH = 500;

    /** A table copied as it is: name, columns in both databases, and the conflict target that makes it idempotent. */
    private record Table(String name, String columns) {
    }

    /** Copied in this order: a row's references are copied before it. */
    private static final List<Table> TABLES = List.of(
            new Table("publishers", "name, created_at"),
            new Table("namespaces", "name, publisher"),
            new Table("api_tokens", "hash, publisher, created_at"),
            new Table("signing_keys", "publisher, fingerprint, pem, created_at"),
            new Table("signed_namespaces", "namespace"),
            new Table("repositories", "name"),
            new Table("blob_links", "repo, digest"),
            new Table("tags", "repo, tag, digest"));

    private final Path from;
    private final PgDatabase to;
    private final PgPackageIndex index;
    private final Optional<BlobTarget> blobs;
    private final Consumer<String> progress;

    private EmbeddedMigration(Path from, PgDatabase to, Optional<BlobTarget> blobs, Consumer<String> progress) {
        this.from = from;
        this.to = to;
        this.index = new PgPackageIndex(to);
        this.blobs = blobs;
        this.progress = progress;
    }

    /**
     * Runs (or resumes) the migration.
     *
     * @param from     the embedded registry's data directory
     * @param to       the database
     * @param password its password, if not in PostgreSQL's password file
     * @param blobs    where the blobs go; empty: they stay in {@code from/blobs} (verified there), which the
     *                 scaled set-up then serves as its blob directory
     * @param progress told one line per step
     * @return rows and blobs per kind, as now present in the target
     * @throws MigrationException if the source is not an embedded registry or a digest does not verify
     */
    public static Map<String, Long> run(Path from, PostgresAddress to, Optional<String> password, Optional<Path> blobs,
                                        Consumer<String> progress) throws IOException {
        return runInto(from, to, password, blobs.map(dir -> () -> FileBlobStore.openShared(dir, Long.MAX_VALUE)),
                progress);
    }

    /** Opens the shared blob store a migration copies into (a directory, or an OCI registry's repository). */
    @FunctionalInterface
    public interface BlobTarget {
        /** Opens the store; called once the source is known to be an embedded registry. */
        BlobStore open() throws IOException;
    }

    /**
     * As {@link #run}, copying the blobs into the store {@code blobs} opens (empty: they stay in
     * {@code from/blobs}); each is hashed on its way in and published only if it matches its digest.
     */
    public static Map<String, Long> runInto(Path from, PostgresAddress to, Optional<String> password,
                                            Optional<BlobTarget> blobs, Consumer<String> progress) throws IOException {
        if (!Files.isRegularFile(from.resolve("registry.db"))) {
            throw new MigrationException(from + " is not an embedded registry's data directory (no registry.db)");
        }
        try (PgDatabase db = PgDatabase.open(to, password)) {
            return new EmbeddedMigration(from, db, blobs, progress).run();
        }
    }

    private Map<String, Long> run() throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("blobs", copyBlobs());
        try (Connection source = new org.sqlite.JDBC().connect("jdbc:sqlite:file:"
                + from.resolve("registry.db").toAbsolutePath() + "?mode=ro", new java.util.Properties())) {
            for (Table t : TABLES.subList(0, 6)) {
                counts.put(t.name(), copy(source, t));
            }
            counts.put("token key", copyTokenKey());
            counts.put("manifests", copyManifests(source));
            for (Table t : TABLES.subList(6, TABLES.size())) {
                counts.put(t.name(), copy(source, t));
            }
            counts.put("package versions", copyPackages(source));
        } catch (SQLException e) {
            throw new MigrationException("read " + from.resolve("registry.db") + ": " + e.getMessage());
        }
        return counts;
    }

    /** Every blob, verified; copied into the target directory unless already there (and verified there too). */
    private long copyBlobs() throws IOException {
        if (!Files.isDirectory(from.resolve("blobs"))) {
            return 0; // accounts only, nothing pushed yet
        }
        FileBlobStore source = FileBlobStore.openShared(from.resolve("blobs"), Long.MAX_VALUE);
        BlobStore target = blobs.isPresent() ? blobs.get().open() : null;
        List<StoredBlob> all = source.list();
        long n = 0;
        for (StoredBlob blob : all) {
            n++;
            if (target == null || target.stat(blob.digest()).isPresent()) {
                verify(target == null ? source : target, blob.digest());
                progress.accept("verified blob " + blob.digest() + " (" + n + "/" + all.size() + ")");
                continue;
            }
            try (InputStream in = source.open(blob.digest(), 0).orElseThrow()) {
                target.put(blob.digest(), in, blob.size()); // hashes on the way; published only if it matches
            } catch (BlobStoreException e) {
                throw new MigrationException("blob " + blob.digest() + " in " + from + ": " + e.getMessage());
            }
            progress.accept("copied blob " + blob.digest() + " (" + n + "/" + all.size() + ")");
        }
        return all.size();
    }

    private static void verify(BlobStore store, Digest digest) throws IOException {
        MessageDigest hasher = Digest.sha256();
        try (InputStream in = store.open(digest, 0).orElseThrow(() -> new MigrationException("blob " + digest
                + " vanished during the migration"))) {
            byte[] buf = new byte[64 * 1024];
            int r;
            while ((r = in.read(buf)) != -1) {
                hasher.update(buf, 0, r);
            }
        }
        Digest actual = Digest.fromSha256(hasher.digest());
        if (!actual.equals(digest)) {
            throw new MigrationException("blob " + digest + " is corrupt: its bytes hash to " + actual);
        }
    }

    /**
     * The embedded registry's token signing key, made the database's: the instances sign and check bearer tokens
     * with it, so tokens issued before the migration stay valid. A key the database already has (an instance
     * started on it before) is replaced, and the line says so: instances that read the old key must restart.
     */
    private long copyTokenKey() throws IOException {
        Path file = from.resolve("token.key");
        if (!Files.isRegularFile(file)) {
            return 0; // never served: no token was issued
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length < PostgresMetadataStore.TOKEN_KEY_BYTES) {
            throw new MigrationException(file + ": token signing key is shorter than "
                    + PostgresMetadataStore.TOKEN_KEY_BYTES + " bytes");
        }
        boolean replaced = to.write("copy the token signing key", c -> {
            byte[] old;
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE name = 'token_key'");
                 ResultSet rs = ps.executeQuery()) {
                old = rs.next() ? rs.getBytes(1) : null;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO settings(name, value) VALUES ('token_key', ?)"
                    + " ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
                ps.setBytes(1, key);
                ps.executeUpdate();
            }
            return old != null && !java.util.Arrays.equals(old, key);
        });
        progress.accept(replaced ? "copied the token signing key, replacing the database's: restart instances"
                + " already serving this database" : "copied the token signing key");
        return 1;
    }

    /** Copies one table in committed batches; rows already present are kept. */
    private long copy(Connection source, Table t) throws SQLException {
        int columns = t.columns().split(",").length;
        String insert = "INSERT INTO " + t.name() + "(" + t.columns() + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns, "?")) + ") ON CONFLICT DO NOTHING";
        long n = 0;
        try (PreparedStatement ps = source.prepareStatement("SELECT " + t.columns() + " FROM " + t.name());
             ResultSet rs = ps.executeQuery()) {
            List<Object[]> batch = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                batch.add(row);
                n++;
                if (batch.size() == BATCH) {
                    insert(insert, batch);
                }
            }
            insert(insert, batch);
        }
        progress.accept("copied " + n + " " + t.name());
        return n;
    }

    private void insert(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        to.write("copy rows", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        ps.setObject(i + 1, row[i]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
        rows.clear();
    }

    /** Manifests, each verified against its digest before it is copied. */
    private long copyManifests(Connection source) throws SQLException {
        String insert = "INSERT INTO manifests(repo, digest, media_type, content, subject, artifact_type, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
        long n = 0;
        try (PreparedStatement ps = source.prepareStatement("SELECT repo, digest, media_type, content, subject,"
                + " artifact_type, created_at FROM manifests");
             ResultSet rs = ps.executeQuery()) {
            List<Object[]> batch = new ArrayList<>();
            while (rs.next()) {
                byte[] content = rs.getBytes(4);
                Digest actual = Digest.of(content);
                if (!actual.toString().equals(rs.getString(2))) {
                    throw new MigrationException("manifest " + rs.getString(2) + " in " + rs.getString(1)
                            + " is corrupt: its bytes hash to " + actual);
                }
                batch.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), content, rs.getString(5),
                        rs.getString(6), rs.getLong(7)});
                n++;
                if (batch.size() == BATCH) {
                    insert(insert, batch);
                }
            }
            insert(insert, batch);
        }
        progress.accept("copied " + n + " manifests (digests verified)");
        return n;
    }

    /** Packages one at a time: versions (yank flags, downloads, publication times kept), then the search row. */
    private long copyPackages(Connection source) throws SQLException {
        if (Jdbc.string(source, "SELECT name FROM pragma_table_info('package_versions') WHERE name = 'map_types'")
                .isEmpty()) {
            throw new MigrationException(from + " was made by an older bpfstore (no package_versions.map_types):"
                    + " start this bpfstore's serve on it once, which upgrades it, then migrate");
        }
        long versions = 0;
        try (PreparedStatement ps = source.prepareStatement("SELECT id, namespace, name, downloads FROM packages");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long sourceId = rs.getLong(1);
                String namespace = rs.getString(2);
                String name = rs.getString(3);
                long downloads = rs.getLong(4);
                List<Object[]> rows = new ArrayList<>();
                try (PreparedStatement vs = source.prepareStatement("SELECT version, digest, metadata, description,"
                        + " license, program_types, attach_types, helpers, yanked, published_at, downloads,"
                        + " map_types FROM package_versions WHERE package_id = ?")) {
                    vs.setLong(1, sourceId);
                    try (ResultSet v = vs.executeQuery()) {
                        while (v.next()) {
                            rows.add(new Object[] {v.getString(1), v.getString(2), v.getString(3), v.getString(4),
                                    v.getString(5), v.getString(6), v.getString(7), v.getString(8), v.getInt(9) != 0,
                                    v.getLong(10), v.getLong(11), v.getString(12)});
                        }
                    }
                }
                versions += rows.size();
                to.write("copy package " + namespace + "/" + name, c -> {
                    PackageTables.insertPackage(c, namespace, name);
                    long id = index.lockPackage(c, namespace, name).orElseThrow();
                    try (PreparedStatement ins = c.prepareStatement("INSERT INTO package_versions(package_id, version,"
                            + " digest, metadata, description, license, program_types, attach_types, helpers, yanked,"
                            + " published_at, downloads, map_types) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT DO NOTHING")) {
                        for (Object[] row : rows) {
                            ins.setLong(1, id);
                            for (int i = 0; i < row.length; i++) {
                                ins.setObject(i + 2, row[i]);
                            }
                            ins.addBatch();
                        }
                        ins.executeBatch();
                    }
                    index.refresh(c, id);
                    try (PreparedStatement d = c.prepareStatement("UPDATE packages SET downloads = ? WHERE id = ?")) {
                        d.setLong(1, downloads);
                        d.setLong(2, id);
                        d.executeUpdate();
                    }
                    return null;
                });
            }
        }
        progress.accept("copied " + versions + " package versions");
        return versions;
    }

    /** The source is not what a migration can copy, or a digest did not verify; the target keeps what it had. */
    public static final class MigrationException extends MetadataException {
        private static final long serialVersionUID = 1L;

        MigrationException(String message) {
            super(message);
        }
    }
}
