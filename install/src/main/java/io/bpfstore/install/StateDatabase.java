package io.bpfstore.install;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQLite state database ({@code state.db}) of one state directory: one connection (WAL, a 10 s busy timeout for
 * the other bpfstore processes), the schema ({@link StateSchema}), one class per table — {@link InstallationTable},
 * {@link PinTable}, {@link FilterTable} — and the {@link Journal}; the changes that span tables; transactions. Every
 * failure is a {@link StateException} naming the file and what was being done. Callers hold the state directory's
 * {@link StateLock}, so one thread uses it at a time.
 *
 * <p>Durability: every commit reaches the write-ahead log with a write(2) before the next kernel change, so a
 * killed process leaves exactly the steps it journaled (synchronous=NORMAL); only the commits that end an operation
 * ({@link #durably}: the journal entry finished, a record removed or activated) wait for fsync (synchronous=FULL),
 * which also syncs every frame the operation wrote before. An fsync per journal step would only guard against power
 * loss, and power loss takes the kernel's side with it (programs, links and the bpffs are memory): a log cut at any
 * earlier commit is a state that a kill at that step leaves too, which recovery and restore handle.
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
                s.execute("PRAGMA synchronous=NORMAL");
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

    /**
     * Runs {@code work} in one transaction whose commit waits for fsync, with every commit before it: for the commit
     * that ends an operation, so what the caller reports done survives power loss. Inside another transaction: as
     * part of that one (whose opener decides).
     */
    <T> T durably(Work<T> work) {
        Connection c = sql.connection();
        boolean outermost = sql.run("transaction", c::getAutoCommit);
        if (!outermost) {
            return work.run();
        }
        sql.run("sync the commit", () -> synchronous(c, "FULL"));
        try {
            return inTransaction(work);
        } finally {
            sql.run("sync the commit", () -> synchronous(c, "NORMAL"));
        }
    }

    /** The connection's synchronous level now (1 NORMAL, 2 FULL): what the next commit waits for. */
    int synchronous() {
        return sql.query("read the synchronous level", "PRAGMA synchronous", r -> r.getInt(1)).getFirst();
    }

    private static boolean synchronous(Connection c, String level) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.execute("PRAGMA synchronous=" + level);
        }
    }

    /** Makes {@code generation} the active one of {@code id} and forgets its other generations with their pins. */
    void activate(String id, int generation) {
        durably(() -> {
            pins.keepOnly(id, generation);
            installations.activate(id, generation);
            return null;
        });
    }

    /** Forgets one generation of {@code id} and its pins. */
    void deleteGeneration(String id, int generation) {
        durably(() -> {
            pins.deleteGeneration(id, generation);
            installations.deleteGeneration(id, generation);
            return null;
        });
    }

    /** Forgets every generation of {@code id}, its pins and its legacy tc filters. */
    void delete(String id) {
        durably(() -> {
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
