package io.bpfstore.registry.storage.postgres;

import io.bpfstore.registry.storage.IndexedImage;
import io.bpfstore.registry.storage.IndexedOrigins;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Indexed origins and their images in PostgreSQL ({@code index_origins}, {@code indexed_images}), shared by the
 * instances: an index run on any of them sees what the others copied, so a tag whose digest is unchanged is
 * skipped whichever instance indexed it first. Removing an origin cascades to its image records.
 *
 * @param db the database
 */
record PgIndexedOrigins(PgDatabase db) implements IndexedOrigins {
    private static final String IMAGE_COLUMNS =
            "origin, remote_repo, tag, digest, local_repo, version, kind, indexed_at";

    @Override
    public boolean addOrigin(String url, Instant addedAt) {
        return db.write("add index origin", c -> Pg.update(c, "INSERT INTO index_origins(url, added_at)"
                + " VALUES (?, ?::bigint) ON CONFLICT DO NOTHING", url, String.valueOf(addedAt.toEpochMilli())) == 1);
    }

    @Override
    public List<String> origins() {
        return db.read("list index origins", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT url FROM index_origins ORDER BY url")) {
                return Pg.strings(ps);
            }
        });
    }

    @Override
    public boolean removeOrigin(String url) {
        return db.write("remove index origin",
                c -> Pg.update(c, "DELETE FROM index_origins WHERE url = ?", url) == 1);
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
                Pg.bind(ps, List.of(image.origin(), image.remoteRepository(), image.tag(), image.digest(),
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
            Pg.bind(ps, List.of(args));
            List<IndexedImage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new IndexedImage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8))));
                }
            }
            return out;
        }
    }
}
