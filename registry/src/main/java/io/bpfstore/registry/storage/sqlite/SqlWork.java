package io.bpfstore.registry.storage.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work on a connection, run inside a transaction by {@link SqliteDatabase}. */
@FunctionalInterface
interface SqlWork<T> {
    /** Does the work; an exception rolls the transaction back. */
    T run(Connection c) throws SQLException;
}
