package io.bpfstore.registry.storage.sqlite;

import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.IndexedOrigins;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.PackageIndex;
import io.bpfstore.registry.storage.Repositories;
import io.bpfstore.registry.storage.UploadSessions;
import java.nio.file.Path;
import java.time.Clock;

/** {@link MetadataStore} in one SQLite file. */
public final class SqliteMetadataStore implements MetadataStore {
    private final SqliteDatabase db;
    private final SqlitePackageIndex packages;
    private final SqliteRepositories repositories;
    private final SqliteUploadSessions uploads;
    private final SqliteAccounts accounts;
    private final SqliteIndexedOrigins indexedOrigins;

    private SqliteMetadataStore(SqliteDatabase db, Clock clock) {
        this.db = db;
        db.write("upgrade the package index", c -> {
            SqlitePackageIndex.upgrade(c);
            return null;
        });
        this.packages = new SqlitePackageIndex(db);
        this.repositories = new SqliteRepositories(db, packages, clock);
        this.uploads = new SqliteUploadSessions(db);
        this.accounts = new SqliteAccounts(db, clock);
        this.indexedOrigins = new SqliteIndexedOrigins(db);
    }

    /** Opens (creating if needed) the database file. */
    public static SqliteMetadataStore open(Path file) {
        return open(file, Clock.systemUTC());
    }

    /** Opens the database file, taking time stamps from {@code clock}. */
    public static SqliteMetadataStore open(Path file, Clock clock) {
        return new SqliteMetadataStore(new SqliteDatabase(file), clock);
    }

    @Override
    public Repositories repositories() {
        return repositories;
    }

    @Override
    public UploadSessions uploads() {
        return uploads;
    }

    @Override
    public Accounts accounts() {
        return accounts;
    }

    @Override
    public PackageIndex packages() {
        return packages;
    }

    @Override
    public IndexedOrigins indexedOrigins() {
        return indexedOrigins;
    }

    @Override
    public void close() {
        db.close();
    }
}
