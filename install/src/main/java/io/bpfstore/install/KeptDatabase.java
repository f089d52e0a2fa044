package io.bpfstore.install;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The state database of one layout kept open between operations by a long-running process (the agent), so that
 * opening it (connection, pragmas, schema check) and closing it (SQLite checkpoints the write-ahead log when the
 * last connection closes) are paid once rather than per operation. Used only under the state directory's
 * {@link StateLock}, like any {@link StateDatabase}; other processes open their own connections beside it.
 */
final class KeptDatabase implements AutoCloseable {
    private final Path file;
    private StateDatabase db;

    /** The database at {@code file}, opened on first use. */
    KeptDatabase(Path file) {
        this.file = file;
    }

    /**
     * The open database, opened now if it is not (or its file was removed since: a connection to a deleted file
     * would write where nobody reads).
     *
     * @throws StateException if it cannot be opened
     */
    synchronized StateDatabase get() {
        if (db != null && !Files.exists(file)) {
            close();
        }
        if (db == null) {
            db = StateDatabase.open(file);
        }
        return db;
    }

    /** Closes the connection (the next {@link #get} opens a new one): at shutdown, or after a database failure. */
    @Override
    public synchronized void close() {
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
