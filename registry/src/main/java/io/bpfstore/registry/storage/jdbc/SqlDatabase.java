package io.bpfstore.registry.storage.jdbc;

/**
 * A database that runs units of work in transactions. Each set-up decides how: SQLite through one writer behind
 * a lock, PostgreSQL through a pool with retries on serialization failures. A failure comes as
 * {@link io.bpfstore.registry.storage.MetadataException} naming {@code what} was being done.
 */
public interface SqlDatabase extends AutoCloseable {
    /** Runs {@code work} in a read-write transaction, committing on success. */
    <T> T write(String what, SqlWork<T> work);

    /** Runs {@code work} in a read-only transaction (one consistent snapshot where the database gives one). */
    <T> T read(String what, SqlWork<T> work);

    /** Releases the connections; further calls fail. */
    @Override
    void close();
}
