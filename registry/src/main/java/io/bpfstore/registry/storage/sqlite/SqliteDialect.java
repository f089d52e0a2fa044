package io.bpfstore.registry.storage.sqlite;

import io.bpfstore.registry.storage.jdbc.SqlDialect;
import java.sql.Connection;

/** SQLite's side of the shared tables' SQL. */
final class SqliteDialect implements SqlDialect {
    @Override
    public String uploadOffsetColumn() {
        return "offset";
    }

    /** Nothing to take: SQLite has one writer, and {@link SqliteDatabase} queues writes behind one lock. */
    @Override
    public void lockVersion(Connection c, String key) {
    }
}
