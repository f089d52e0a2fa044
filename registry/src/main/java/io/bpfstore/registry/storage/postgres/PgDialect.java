package io.bpfstore.registry.storage.postgres;

import io.bpfstore.registry.storage.jdbc.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** PostgreSQL's side of the shared tables' SQL. */
final class PgDialect implements SqlDialect {
    /** {@code offset} is reserved in PostgreSQL. */
    @Override
    public String uploadOffsetColumn() {
        return "upload_offset";
    }

    /** A transaction-level advisory lock on the key's hash: one writer per version across instances. */
    @Override
    public void lockVersion(Connection c, String key) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, key);
            lock.execute();
        }
    }
}
