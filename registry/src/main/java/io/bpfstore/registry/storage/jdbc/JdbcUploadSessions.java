package io.bpfstore.registry.storage.jdbc;

import io.bpfstore.registry.storage.UploadSession;
import io.bpfstore.registry.storage.UploadSessions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Upload sessions. The offset is the only truth about an upload's progress, whichever instance served its
 * chunks; {@link #advance} is a compare-and-set, so two instances appending at once cannot both win.
 */
final class JdbcUploadSessions implements UploadSessions {
    private final SqlDatabase db;
    /** The offset column (see {@link SqlDialect#uploadOffsetColumn}). */
    private final String offset;
    private final String columns;

    JdbcUploadSessions(SqlDatabase db, SqlDialect dialect) {
        this.db = db;
        this.offset = dialect.uploadOffsetColumn();
        this.columns = "id, repo, " + offset + ", started_at, staging";
    }

    @Override
    public void create(UploadSession s) {
        db.write("create upload session", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO uploads(" + columns + ") VALUES (?, ?, ?, ?, ?)")) {
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
            try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM uploads WHERE id = ?")) {
                ps.setString(1, id);
                return Jdbc.first(ps, JdbcUploadSessions::session);
            }
        });
    }

    @Override
    public boolean advance(String id, long expected, long newOffset, String staging) {
        return db.write("advance upload session", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE uploads SET " + offset + " = ?, staging = ? WHERE id = ? AND " + offset + " = ?")) {
                ps.setLong(1, newOffset);
                ps.setString(2, staging);
                ps.setString(3, id);
                ps.setLong(4, expected);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String id) {
        return db.write("delete upload session", c -> Jdbc.update(c, "DELETE FROM uploads WHERE id = ?", id) == 1);
    }

    @Override
    public List<UploadSession> startedBefore(Instant cutoff) {
        return db.read("list stale upload sessions", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + columns + " FROM uploads WHERE started_at < ? ORDER BY started_at")) {
                ps.setLong(1, cutoff.toEpochMilli());
                return Jdbc.rows(ps, JdbcUploadSessions::session);
            }
        });
    }

    private static UploadSession session(ResultSet rs) throws SQLException {
        return new UploadSession(rs.getString(1), rs.getString(2), rs.getLong(3),
                Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5));
    }
}
