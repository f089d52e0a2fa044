package io.bpfstore.install;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQLite state database ({@code state.db}) of one state directory: one connection (WAL, synchronous=FULL, a
 * 10 s busy timeout for the other bpfstore processes), the schema ({@link StateSchema}), one class per table —
 * {@link InstallationTable}, {@link PinTable}, {@link FilterTable} — and the {@link Journal}; the changes that
 * span tables; transactions. Every failure is a {@link StateException} naming the file and what was being done.
 * Callers hold the state directory's {@link StateLock}, so one thread uses it at a time.
 */
final class StateDatabase implements AutoCloseable {
    private final SqlSession sql;
    private final InstallationTable installations;
    private final PinTable pins;
    private final FilterTable filters;
    private final Journal journal;

    private StateDatabase(SqlSession sql) {
        this.sql = sql;
        this.installations = new InstallationTable(sql);
        this.pins = new PinTable(sql);
        this.filters = new FilterTable(sql);
        this.journal = new Journal(sql);
    }

    /**
     * Opens (creating if needed, migrating if older) the database at {@code file}.
     *
     * @throws StateException if it cannot be opened or is of a newer schema version
     */
    static StateDatabase open(Path file) {
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=10000");
            }
            StateSchema.apply(c);
            return new StateDatabase(new SqlSession(c, file));
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the open failed already
                }
            }
            throw new StateException(file, "open", e);
        }
    }

    /** The installations table. */
    InstallationTable installations() {
        return installations;
    }

    /** The pins table. */
    PinTable pins() {
        return pins;
    }

    /** The legacy tc filters table. */
    FilterTable filters() {
        return filters;
    }

    /** The journal. */
    Journal journal() {
        return journal;
    }

    /** Work in a transaction. */
    @FunctionalInterface
    interface Work<T> {
        /** Does the work. */
        T run();
    }

    /** Runs {@code work} in one transaction: all its changes or none (inside another: as part of that one). */
    <T> T inTransaction(Work<T> work) {
        Connection c = sql.connection();
        return sql.run("transaction", () -> {
            if (!c.getAutoCommit()) {
                return work.run();
            }
            c.setAutoCommit(false);
            try {
                T result = work.run();
                c.commit();
                return result;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    /** Makes {@code generation} the active one of {@code id} and forgets its other generations with their pins. */
    void activate(String id, int generation) {
        inTransaction(() -> {
            pins.keepOnly(id, generation);
            installations.activate(id, generation);
            return null;
        });
    }

    /** Forgets one generation of {@code id} and its pins. */
    void deleteGeneration(String id, int generation) {
        inTransaction(() -> {
            pins.deleteGeneration(id, generation);
            installations.deleteGeneration(id, generation);
            return null;
        });
    }

    /** Forgets every generation of {@code id}, its pins and its legacy tc filters. */
    void delete(String id) {
        inTransaction(() -> {
            filters.delete(id);
            pins.delete(id);
            installations.delete(id);
            return null;
        });
    }

    @Override
    public void close() {
        try {
            sql.connection().close();
        } catch (SQLException ignored) {
            // nothing left to do with a closing connection
        }
    }
}
