package io.bpfstore.registry.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** What the shared tables' SQL differs in between SQLite and PostgreSQL. */
public interface SqlDialect {
    /**
     * The {@code uploads} column holding an upload's offset: {@code offset} in SQLite's schema, which PostgreSQL
     * reserves as a keyword.
     */
    String uploadOffsetColumn();

    /**
     * Makes writers of one package version wait for each other until the transaction ends, so the check that a
     * version is not yet published sees every earlier push of it.
     *
     * @param c   the writing transaction's connection
     * @param key names the version
     */
    void lockVersion(Connection c, String key) throws SQLException;
}
