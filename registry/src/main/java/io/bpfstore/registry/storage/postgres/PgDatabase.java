package io.bpfstore.registry.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.bpfstore.registry.storage.MetadataException;
import io.bpfstore.registry.storage.MetadataUnavailableException;
import io.bpfstore.registry.storage.jdbc.SqlDatabase;
import io.bpfstore.registry.storage.jdbc.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Properties;

/**
 * A pool of connections to one PostgreSQL database, transactions with retries, and the classification of
 * failures: an unreachable database is {@link MetadataUnavailableException} (503), anything else
 * {@link MetadataException}.
 */
final class PgDatabase implements SqlDatabase {
    private static final int POOL = 16;
    /** A transaction that lost a serialization race or a deadlock is run again, this many times at most. */
    private static final int ATTEMPTS = 5;
    private static final int CONNECT_TIMEOUT_SECONDS = 5;
    /**
     * The pool's own start and stop lines (INFO, through SLF4J to java.util.logging) would interleave with the
     * CLI's one-line output; its warnings still show. Held so the level is not lost with a collected logger.
     */
    private static final java.util.logging.Logger POOL_LOG = quiet("com.zaxxer.hikari");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(name);
        log.setLevel(java.util.logging.Level.WARNING);
        return log;
    }

    private final PostgresAddress address;
    private final Optional<String> password;
    private final HikariDataSource pool;

    private PgDatabase(PostgresAddress address, Optional<String> password, HikariDataSource pool) {
        this.address = address;
        this.password = password;
        this.pool = pool;
    }

    /** Connects (failing at once if the database cannot be reached) and brings the schema up to date. */
    static PgDatabase open(PostgresAddress address, Optional<String> password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(address.jdbcUrl());
        // named, not looked up: a shaded jar keeps one META-INF/services/java.sql.Driver, SQLite's
        config.setDriverClassName(org.postgresql.Driver.class.getName());
        config.setUsername(address.user());
        password.ifPresent(config::setPassword);
        config.setPoolName("bpfstore-postgres");
        config.setMaximumPoolSize(POOL);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS * 1000L);
        config.setValidationTimeout(2000);
        config.setInitializationFailTimeout(1); // one try at start: an unreachable database is an error, not a hang
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.addDataSourceProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
        config.addDataSourceProperty("socketTimeout", 60);
        config.addDataSourceProperty("ApplicationName", "bpfstore-registry");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new MetadataUnavailableException("connect to " + address, cause);
        }
        PgDatabase db = new PgDatabase(address, password, pool);
        try {
            PgSchema.migrate(db);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return db;
    }

    /** Where the database is. */
    PostgresAddress address() {
        return address;
    }

    /** Runs {@code work} in a read-write transaction, committing on success; retried on serialization races. */
    @Override
    public <T> T write(String what, SqlWork<T> work) {
        return transaction(what, false, work);
    }

    /** Runs {@code work} in a read-only transaction. */
    @Override
    public <T> T read(String what, SqlWork<T> work) {
        return transaction(what, true, work);
    }

    private <T> T transaction(String what, boolean readOnly, SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            boolean committing = false;
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                c.setReadOnly(readOnly);
                try {
                    T result = work.run(c);
                    committing = true;
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                } finally {
                    if (readOnly) {
                        resetReadOnlyQuietly(c);
                    }
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && (retryable(e) || (!committing && brokenConnection(e)))) {
                    continue;
                }
                throw failure(what, e);
            }
        }
    }

    /**
     * A connection of its own, outside the pool, for a session-level advisory lock: closing it releases the
     * lock whatever happened, and a pooled connection could carry a lock it failed to release to the next user.
     */
    Connection dedicatedConnection() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", address.user());
        password.ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        p.setProperty("ApplicationName", "bpfstore-registry-lock");
        return new org.postgresql.Driver().connect(address.jdbcUrl(), p);
    }

    /** After a failure the connection may be gone; the pool resets or discards it either way. */
    private static void resetReadOnlyQuietly(Connection c) {
        try {
            c.setReadOnly(false);
        } catch (SQLException ignored) {
            // a broken connection: the pool evicts it
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it and the server rolled back already
        }
    }

    /**
     * A pooled connection that the server dropped (a restart, a terminated backend) failed before the commit was
     * sent: nothing was written, and another connection from the pool may work. Not the pool timing out: the
     * database is down then, and waiting again would only delay the 503.
     */
    private static boolean brokenConnection(SQLException e) {
        return unreachable(e) && !(e instanceof SQLTransientConnectionException);
    }

    /** Serialization failure or deadlock: the same transaction may succeed when run again. */
    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    /** The database's failure as the store's: unreachable (503) or not. */
    static MetadataException failure(String what, SQLException e) {
        return unreachable(e) ? new MetadataUnavailableException(what, e) : new MetadataException(what, e);
    }

    /** Connection failures (class 08), shutdowns (57P), no resources (53), and the pool timing out. */
    static boolean unreachable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
                    return true;
                }
            }
        }
        // the pool's stand-in for a connection it evicted after a fatal error carries no state
        return e.getSQLState() == null && "Connection is closed".equals(e.getMessage());
    }

    @Override
    public void close() {
        pool.close();
    }
}
