package io.bpfstore.registry.storage.sqlite;

import io.bpfstore.registry.storage.UploadSession;
import io.bpfstore.registry.storage.UploadSessions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Upload sessions in SQLite. */
final class SqliteUploadSessions implements UploadSessions {
    private final SqliteDatabase db;

    SqliteUploadSessions(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void create(UploadSession s) {
        db.write("create upload session", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO uploads(id, repo, offset, started_at, staging) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, s.id());
                ps.setString(2, s.repository());
                ps.setLong(3, s.offset());
                ps.setLong(4, s.startedAt().toEpochMilli());
                ps.setString(5, s.staging());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<UploadSession> find(String id) {
        return db.read("find upload session", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT repo, offset, started_at, staging FROM uploads WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new UploadSession(id, rs.getString(1), rs.getLong(2),
                                    Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean advance(String id, long expected, long offset, String staging) {
        return db.write("advance upload session", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE uploads SET offset = ?, staging = ? WHERE id = ? AND offset = ?")) {
                ps.setLong(1, offset);
                ps.setString(2, staging);
                ps.setString(3, id);
                ps.setLong(4, expected);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String id) {
        return db.write("delete upload session", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM uploads WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<UploadSession> startedBefore(Instant cutoff) {
        return db.read("list stale upload sessions", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, repo, offset, started_at, staging FROM uploads WHERE started_at < ? ORDER BY started_at")) {
                ps.setLong(1, cutoff.toEpochMilli());
                List<UploadSession> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new UploadSession(rs.getString(1), rs.getString(2), rs.getLong(3),
                                Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5)));
                    }
                }
                return out;
            }
        });
    }
}
