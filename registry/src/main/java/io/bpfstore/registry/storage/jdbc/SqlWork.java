package io.bpfstore.registry.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work on a connection, run inside a transaction by a {@link SqlDatabase} (maybe more than once). */
@FunctionalInterface
public interface SqlWork<T> {
    /** Does the work; an exception rolls the transaction back. Must not have effects outside the database. */
    T run(Connection c) throws SQLException;
}
