package io.bpfstore.registry.storage.jdbc;

import io.bpfstore.registry.storage.IndexedImage;
import io.bpfstore.registry.storage.IndexedOrigins;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Indexed origins and their images ({@code index_origins}, {@code indexed_images}). With PostgreSQL the
 * instances share them: an index run on any of them sees what the others copied, so a tag whose digest is
 * unchanged is skipped whichever instance indexed it first.
 *
 * @param db the database
 */
record JdbcIndexedOrigins(SqlDatabase db) implements IndexedOrigins {
    private static final String IMAGE_COLUMNS =
            "origin, remote_repo, tag, digest, local_repo, version, kind, indexed_at";

    @Override
    public boolean addOrigin(String url, Instant addedAt) {
        return db.write("add index origin", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO index_origins(url, added_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, url);
                ps.setLong(2, addedAt.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<String> origins() {
        return db.read("list index origins", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT url FROM index_origins ORDER BY url")) {
                return Jdbc.strings(ps);
            }
        });
    }

    @Override
    public boolean removeOrigin(String url) {
        return db.write("remove index origin", c -> {
            // the images first: the schema cascades, but an embedded database from before the cascade may not
            Jdbc.update(c, "DELETE FROM indexed_images WHERE origin = ?", url);
            return Jdbc.update(c, "DELETE FROM index_origins WHERE url = ?", url) == 1;
        });
    }

    @Override
    public Optional<IndexedImage> find(String origin, String remoteRepository, String tag) {
        return db.read("find indexed image", c -> {
            List<IndexedImage> found = select(c, " WHERE origin = ? AND remote_repo = ? AND tag = ?",
                    origin, remoteRepository, tag);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        });
    }

    @Override
    public void record(IndexedImage image) {
        db.write("record indexed image", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO indexed_images(" + IMAGE_COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(origin, remote_repo, tag) DO UPDATE SET"
                    + " digest = excluded.digest, local_repo = excluded.local_repo, version = excluded.version,"
                    + " kind = excluded.kind, indexed_at = excluded.indexed_at")) {
                Jdbc.bind(ps, List.of(image.origin(), image.remoteRepository(), image.tag(), image.digest(),
                        image.localRepository(), image.version(), image.kind()));
                ps.setLong(8, image.indexedAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<IndexedImage> images(String origin) {
        return db.read("list indexed images",
                c -> select(c, " WHERE origin = ? ORDER BY remote_repo, tag", origin));
    }

    private static List<IndexedImage> select(Connection c, String where, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + IMAGE_COLUMNS + " FROM indexed_images" + where)) {
            Jdbc.bind(ps, List.of(args));
            return Jdbc.rows(ps, JdbcIndexedOrigins::image);
        }
    }

    private static IndexedImage image(ResultSet rs) throws SQLException {
        return new IndexedImage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)));
    }
}
