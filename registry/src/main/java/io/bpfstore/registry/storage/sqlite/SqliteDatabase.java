package io.bpfstore.registry.storage.sqlite;

import io.bpfstore.registry.storage.MetadataException;
import io.bpfstore.registry.storage.jdbc.SqlDatabase;
import io.bpfstore.registry.storage.jdbc.SqlWork;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/** Connections to one SQLite file: one writer behind a lock, a pool of readers; schema creation. */
final class SqliteDatabase implements SqlDatabase {
    private static final int READERS = 8;

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();

    SqliteDatabase(Path file) {
        try {
            writer = connect(file, SQLiteConfig.TransactionMode.IMMEDIATE);
            try (Statement s = writer.createStatement()) {
                for (String ddl : Schema.STATEMENTS) {
                    s.execute(ddl);
                }
                addMissingColumns(s);
            }
            for (int i = 0; i < READERS; i++) {
                readers.add(connect(file, SQLiteConfig.TransactionMode.DEFERRED));
            }
        } catch (SQLException e) {
            closeAll();
            throw new MetadataException("open " + file, e);
        }
    }

    private static void addMissingColumns(Statement s) throws SQLException {
        for (String[] added : Schema.ADDED_COLUMNS) {
            boolean present = false;
            try (java.sql.ResultSet rs = s.executeQuery("PRAGMA table_info(" + added[0] + ")")) {
                while (rs.next()) {
                    present |= rs.getString("name").equals(added[1]);
                }
            }
            if (!present) {
                s.execute("ALTER TABLE " + added[0] + " ADD COLUMN " + added[1] + " " + added[2]);
            }
        }
    }

    private Connection connect(Path file, SQLiteConfig.TransactionMode mode) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        config.setTransactionMode(mode);
        Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        all.add(c);
        return c;
    }

    /** Runs {@code work} in a write transaction, committing on success. */
    @Override
    public <T> T write(String what, SqlWork<T> work) {
        writeLock.lock();
        try {
            return inTransaction(writer, what, work);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} in a read transaction (one consistent snapshot). */
    @Override
    public <T> T read(String what, SqlWork<T> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataException(what + ": interrupted");
        }
        try {
            return inTransaction(c, what, work);
        } finally {
            readers.add(c);
        }
    }

    private static <T> T inTransaction(Connection c, String what, SqlWork<T> work) {
        try {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new MetadataException(what, e);
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            closeAll();
        } finally {
            writeLock.unlock();
        }
    }

    private void closeAll() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
