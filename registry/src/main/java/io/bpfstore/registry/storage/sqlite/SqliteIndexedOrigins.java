package io.bpfstore.registry.storage.sqlite;

import io.bpfstore.registry.storage.IndexedImage;
import io.bpfstore.registry.storage.IndexedOrigins;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Indexed origins and their images in SQLite ({@code index_origins}, {@code indexed_images}). */
final class SqliteIndexedOrigins implements IndexedOrigins {
    private static final String COLUMNS =
            "origin, remote_repo, tag, digest, local_repo, version, kind, indexed_at";

    private final SqliteDatabase db;

    SqliteIndexedOrigins(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public boolean addOrigin(String url, Instant addedAt) {
        return db.write("add index origin", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO index_origins(url, added_at) VALUES (?, ?)")) {
                ps.setString(1, url);
                ps.setLong(2, addedAt.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<String> origins() {
        return db.read("list index origins", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT url FROM index_origins ORDER BY url");
                 ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    @Override
    public boolean removeOrigin(String url) {
        return db.write("remove index origin", c -> {
            try (PreparedStatement images = c.prepareStatement("DELETE FROM indexed_images WHERE origin = ?");
                 PreparedStatement origin = c.prepareStatement("DELETE FROM index_origins WHERE url = ?")) {
                images.setString(1, url);
                images.executeUpdate();
                origin.setString(1, url);
                return origin.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<IndexedImage> find(String origin, String remoteRepository, String tag) {
        return db.read("find indexed image", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM indexed_images WHERE origin = ? AND remote_repo = ? AND tag = ?")) {
                ps.setString(1, origin);
                ps.setString(2, remoteRepository);
                ps.setString(3, tag);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(image(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void record(IndexedImage i) {
        db.write("record indexed image", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO indexed_images(" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, i.origin());
                ps.setString(2, i.remoteRepository());
                ps.setString(3, i.tag());
                ps.setString(4, i.digest());
                ps.setString(5, i.localRepository());
                ps.setString(6, i.version());
                ps.setString(7, i.kind());
                ps.setLong(8, i.indexedAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<IndexedImage> images(String origin) {
        return db.read("list indexed images", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM indexed_images WHERE origin = ? ORDER BY remote_repo, tag")) {
                ps.setString(1, origin);
                List<IndexedImage> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(image(rs));
                    }
                }
                return out;
            }
        });
    }

    private static IndexedImage image(ResultSet rs) throws SQLException {
        return new IndexedImage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)));
    }
}
