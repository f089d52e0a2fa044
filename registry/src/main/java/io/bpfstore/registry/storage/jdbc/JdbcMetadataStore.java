package io.bpfstore.registry.storage.jdbc;

import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.IndexedOrigins;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.PackageIndex;
import io.bpfstore.registry.storage.Repositories;
import io.bpfstore.registry.storage.UploadSessions;
import java.time.Clock;

/**
 * A {@link MetadataStore} in one SQL database: the shared tables over a set-up's connections, dialect and package
 * index. A subclass opens the database and adds what only its set-up has.
 */
public abstract class JdbcMetadataStore implements MetadataStore {
    private final SqlDatabase db;
    private final PackageIndex packages;
    private final Repositories repositories;
    private final UploadSessions uploads;
    private final Accounts accounts;
    private final IndexedOrigins indexedOrigins;

    /**
     * @param db       the open database, closed with this store
     * @param dialect  how its SQL differs
     * @param packages its package index
     * @param versions the package index's part of manifest pushes and deletes
     * @param clock    where time stamps come from
     */
    protected JdbcMetadataStore(SqlDatabase db, SqlDialect dialect, PackageIndex packages, VersionRows versions,
                                Clock clock) {
        this.db = db;
        this.packages = packages;
        this.repositories = new JdbcRepositories(db, dialect, versions, clock);
        this.uploads = new JdbcUploadSessions(db, dialect);
        this.accounts = new JdbcAccounts(db, clock);
        this.indexedOrigins = new JdbcIndexedOrigins(db);
    }

    @Override
    public final Repositories repositories() {
        return repositories;
    }

    @Override
    public final UploadSessions uploads() {
        return uploads;
    }

    @Override
    public final Accounts accounts() {
        return accounts;
    }

    @Override
    public final PackageIndex packages() {
        return packages;
    }

    @Override
    public final IndexedOrigins indexedOrigins() {
        return indexedOrigins;
    }

    @Override
    public final void close() {
        db.close();
    }
}
