package io.bpfstore.install;

import java.nio.file.Path;

/**
 * The state database could not be read or written: names the database file and what was being done, and carries
 * the SQLite error as its cause. An operation that meets it changes nothing further; its journal entry (if one
 * was written) lets the next command finish or roll it back.
 */
public final class StateException extends InstallException {
    private static final long serialVersionUID = 1L;

    /** The database file. */
    private final transient Path database;
    /** What was being done, e.g. {@code "record pin /sys/fs/bpf/bpfstore/fw/g1/maps/counters"}. */
    private final String what;

    /** A failure while doing {@code what} on {@code database}. */
    public StateException(Path database, String what, Throwable cause) {
        super("state database " + database + ": " + what + ": " + cause.getMessage(), cause);
        this.database = database;
        this.what = what;
    }

    /** A failure while doing {@code what} on {@code database}, described by {@code problem}. */
    public StateException(Path database, String what, String problem) {
        super("state database " + database + ": " + what + ": " + problem);
        this.database = database;
        this.what = what;
    }

    /** The database file. */
    public Path database() {
        return database;
    }

    /** What was being done. */
    public String what() {
        return what;
    }
}
