package io.bpfstore.registry.storage.postgres;

import io.bpfstore.registry.storage.UploadSession;
import io.bpfstore.registry.storage.UploadSessions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Upload sessions in PostgreSQL. The offset is the only truth about an upload's progress, whichever instance
 * served its chunks; {@link #advance} is a compare-and-set, so two instances appending at once cannot both win.
 */
final class PgUploadSessions implements UploadSessions {
    private final PgDatabase db;

    PgUploadSessions(PgDatabase db) {
        this.db = db;
    }

    @Override
    public void create(UploadSession s) {
        db.write("create upload session", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO uploads(id, repo, upload_offset, started_at, staging) VALUES (?, ?, ?, ?, ?)")) {
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
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, repo, upload_offset, started_at, staging FROM uploads WHERE id = ?")) {
                ps.setString(1, id);
                List<UploadSession> found = sessions(ps);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
            }
        });
    }

    @Override
    public boolean advance(String id, long expected, long offset, String staging) {
        return db.write("advance upload session", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE uploads SET upload_offset = ?, staging = ? WHERE id = ? AND upload_offset = ?")) {
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
        return db.write("delete upload session", c -> Pg.update(c, "DELETE FROM uploads WHERE id = ?", id) == 1);
    }

    @Override
    public List<UploadSession> startedBefore(Instant cutoff) {
        return db.read("list stale upload sessions", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, repo, upload_offset, started_at, staging FROM uploads"
                    + " WHERE started_at < ? ORDER BY started_at")) {
                ps.setLong(1, cutoff.toEpochMilli());
                return sessions(ps);
            }
        });
    }

    private static List<UploadSession> sessions(PreparedStatement ps) throws SQLException {
        List<UploadSession> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new UploadSession(rs.getString(1), rs.getString(2), rs.getLong(3),
                        Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5)));
            }
        }
        return out;
    }
}
