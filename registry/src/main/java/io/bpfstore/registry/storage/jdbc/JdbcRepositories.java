package io.bpfstore.registry.storage.jdbc;

import io.bpfstore.registry.packages.PackageRelease;
import io.bpfstore.registry.storage.ManifestRecord;
import io.bpfstore.registry.storage.PublishedVersionException;
import io.bpfstore.registry.storage.Repositories;
import io.bpfstore.store.image.Digest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Repositories, blob links, manifests and tags. A manifest push is one transaction: with PostgreSQL the tag row's
 * upsert locks it, so two instances pushing one tag run one after the other and the later one wins whole
 * (manifest, tag and package version agree).
 *
 * @param db       the database
 * @param dialect  how its SQL differs
 * @param versions the package index's part of a push or delete, in the same transaction
 * @param clock    where publication times come from
 */
record JdbcRepositories(SqlDatabase db, SqlDialect dialect, VersionRows versions, Clock clock)
        implements Repositories {
    private static final String MANIFEST_COLUMNS = "m.repo, m.digest, m.media_type, m.content, m.subject,"
            + " m.artifact_type, m.created_at";
    /** Manifests read per round trip when visiting all of them (the collector's mark). */
    private static final int FETCH = 256;

    @Override
    public void linkBlob(String repository, Digest digest) {
        db.write("link blob", c -> {
            ensureRepository(c, repository);
            return Jdbc.update(c, "INSERT INTO blob_links(repo, digest) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    repository, digest.toString());
        });
    }

    @Override
    public boolean isBlobLinked(String repository, Digest digest) {
        return db.read("find blob link", c -> Jdbc.string(c,
                "SELECT digest FROM blob_links WHERE repo = ? AND digest = ?", repository, digest.toString())
                .isPresent());
    }

    @Override
    public boolean unlinkBlob(String repository, Digest digest) {
        return db.write("unlink blob", c -> Jdbc.update(c, "DELETE FROM blob_links WHERE repo = ? AND digest = ?",
                repository, digest.toString()) == 1);
    }

    @Override
    public void putManifest(ManifestRecord m, Optional<String> tag, Optional<PackageRelease> release,
                            boolean immutableVersions) {
        db.write("store manifest " + m.digest() + " in " + m.repository(), c -> {
            if (immutableVersions && release.isPresent()) {
                requireUnpublished(c, release.get(), m.digest());
            }
            ensureRepository(c, m.repository());
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO manifests(repo, digest, media_type, content, subject, artifact_type, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
                ps.setString(1, m.repository());
                ps.setString(2, m.digest().toString());
                ps.setString(3, m.mediaType());
                ps.setBytes(4, m.content());
                ps.setString(5, m.subject().map(Digest::toString).orElse(null));
                ps.setString(6, m.artifactType().orElse(null));
                ps.setLong(7, m.createdAt().toEpochMilli());
                ps.executeUpdate();
            }
            if (tag.isPresent()) {
                Jdbc.update(c, """
                        INSERT INTO tags(repo, tag, digest) VALUES (?, ?, ?)
                        ON CONFLICT(repo, tag) DO UPDATE SET digest = excluded.digest""",
                        m.repository(), tag.get(), m.digest().toString());
            }
            if (release.isPresent()) {
                versions.index().index(c, release.get(), clock.instant());
            }
            return null;
        });
    }

    /** Refuses a release whose version was published before with another image. */
    private void requireUnpublished(Connection c, PackageRelease r, Digest digest) throws SQLException {
        dialect.lockVersion(c, "version " + r.namespace() + "/" + r.name() + "@" + r.version());
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT v.digest, v.yanked FROM package_versions v JOIN packages p ON p.id = v.package_id
                WHERE p.namespace = ? AND p.name = ? AND v.version = ?""")) {
            Jdbc.bind(ps, List.of(r.namespace(), r.name(), r.version()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && !rs.getString(1).equals(digest.toString())) {
                    throw new PublishedVersionException(r.namespace() + "/" + r.name(), r.version(),
                            rs.getString(1), rs.getBoolean(2));
                }
            }
        }
    }

    @Override
    public Optional<ManifestRecord> manifest(String repository, Digest digest) {
        return db.read("find manifest", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + MANIFEST_COLUMNS + " FROM manifests m WHERE m.repo = ? AND m.digest = ?")) {
                Jdbc.bind(ps, List.of(repository, digest.toString()));
                return Jdbc.first(ps, JdbcRepositories::record);
            }
        });
    }

    @Override
    public Optional<ManifestRecord> taggedManifest(String repository, String tag) {
        return db.read("find tagged manifest", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MANIFEST_COLUMNS
                    + " FROM tags t JOIN manifests m ON m.repo = t.repo AND m.digest = t.digest"
                    + " WHERE t.repo = ? AND t.tag = ?")) {
                Jdbc.bind(ps, List.of(repository, tag));
                return Jdbc.first(ps, JdbcRepositories::record);
            }
        });
    }

    @Override
    public boolean deleteManifest(String repository, Digest digest) {
        return db.write("delete manifest", c -> {
            // tags before the manifest and the package, in the order a push locks them: no deadlock with a push
            Jdbc.update(c, "DELETE FROM tags WHERE repo = ? AND digest = ?", repository, digest.toString());
            int n = Jdbc.update(c, "DELETE FROM manifests WHERE repo = ? AND digest = ?",
                    repository, digest.toString());
            versions.remove().removeVersions(c, repository, digest);
            return n == 1;
        });
    }

    @Override
    public boolean deleteTag(String repository, String tag) {
        return db.write("delete tag", c -> Jdbc.update(c, "DELETE FROM tags WHERE repo = ? AND tag = ?",
                repository, tag) == 1);
    }

    @Override
    public boolean exists(String repository) {
        return db.read("find repository", c -> Jdbc.string(c, "SELECT name FROM repositories WHERE name = ?",
                repository).isPresent());
    }

    @Override
    public List<String> tags(String repository, String last, int limit) {
        return db.read("list tags", c -> page(c,
                "SELECT tag FROM tags WHERE repo = ? AND tag > ? ORDER BY tag LIMIT ?",
                List.of(repository, last == null ? "" : last), limit));
    }

    @Override
    public List<String> list(String last, int limit) {
        return db.read("list repositories", c -> page(c,
                "SELECT name FROM repositories WHERE name > ? ORDER BY name LIMIT ?",
                List.of(last == null ? "" : last), limit));
    }

    /** The first column of {@code sql} bound to {@code args} and then {@code limit}. */
    private static List<String> page(Connection c, String sql, List<String> args, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, args);
            ps.setInt(args.size() + 1, limit);
            return Jdbc.strings(ps);
        }
    }

    @Override
    public List<ManifestRecord> referrers(String repository, Digest subject) {
        return db.read("list referrers", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MANIFEST_COLUMNS
                    + " FROM manifests m WHERE m.repo = ? AND m.subject = ? ORDER BY m.created_at, m.digest")) {
                Jdbc.bind(ps, List.of(repository, subject.toString()));
                return Jdbc.rows(ps, JdbcRepositories::record);
            }
        });
    }

    @Override
    public void forEachManifest(Consumer<ManifestRecord> visitor) {
        db.read("list all manifests", c -> {
            // with PostgreSQL a cursor (fetch size inside a transaction), not every manifest in memory at once
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MANIFEST_COLUMNS + " FROM manifests m")) {
                ps.setFetchSize(FETCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        visitor.accept(record(rs));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public int unlinkBlobEverywhere(Digest digest) {
        return db.write("unlink blob " + digest, c -> Jdbc.update(c, "DELETE FROM blob_links WHERE digest = ?",
                digest.toString()));
    }

    private static void ensureRepository(Connection c, String repository) throws SQLException {
        Jdbc.update(c, "INSERT INTO repositories(name) VALUES (?) ON CONFLICT DO NOTHING", repository);
    }

    private static ManifestRecord record(ResultSet rs) throws SQLException {
        String subject = rs.getString(5);
        return new ManifestRecord(rs.getString(1), Digest.parse(rs.getString(2)), rs.getString(3), rs.getBytes(4),
                Optional.ofNullable(subject).map(Digest::parse), Optional.ofNullable(rs.getString(6)),
                Instant.ofEpochMilli(rs.getLong(7)));
    }
}
