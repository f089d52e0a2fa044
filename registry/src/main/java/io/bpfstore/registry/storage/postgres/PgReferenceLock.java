package io.bpfstore.registry.storage.postgres;

import io.bpfstore.registry.storage.MetadataUnavailableException;
import io.bpfstore.registry.storage.ReferenceLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One hold of the session-level advisory lock that orders manifest pushes (shared) against blob collection
 * (exclusive) across every instance on the database. It holds a connection of its own for as long as it is
 * held; closing that connection releases the lock even if the instance dies (kill -9 closes the socket, and
 * PostgreSQL drops the session's locks), so a dead instance never blocks collection for ever.
 */
final class PgReferenceLock implements ReferenceLock.AcrossNodes {
    /** Advisory-lock key of blob references ("bpfs" + 2). */
    static final long KEY = 0x6270667300000002L;

    private final PgDatabase db;
    private final boolean exclusive;
    private Connection held;

    PgReferenceLock(PgDatabase db, boolean exclusive) {
        this.db = db;
        this.exclusive = exclusive;
    }

    @Override
    public void acquire() {
        if (held != null) {
            throw new IllegalStateException("reference lock already held");
        }
        Connection c = null;
        try {
            c = db.dedicatedConnection();
            try (Statement s = c.createStatement()) {
                s.execute("SELECT " + (exclusive ? "pg_advisory_lock(" : "pg_advisory_lock_shared(") + KEY + ")");
            }
            held = c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new MetadataUnavailableException("take the blob reference lock", e);
        }
    }

    @Override
    public void release() {
        Connection c = held;
        held = null;
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_unlock_all()"); // at once, not when the server notices the close
        } catch (SQLException ignored) {
            // closing the session below releases it as well
        }
        closeQuietly(c); // ends the session, which releases its advisory locks
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the server ends the session (and its locks) when the socket goes
            }
        }
    }
}
