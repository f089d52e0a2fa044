package io.bpfstore.registry.storage.sqlite;

import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.jdbc.JdbcMetadataStore;
import io.bpfstore.registry.storage.jdbc.VersionRows;
import java.nio.file.Path;
import java.time.Clock;

/** {@link MetadataStore} in one SQLite file. */
public final class SqliteMetadataStore extends JdbcMetadataStore {
    private SqliteMetadataStore(SqliteDatabase db, SqlitePackageIndex packages, Clock clock) {
        super(db, new SqliteDialect(), packages, new VersionRows(packages::index, packages::removeVersions), clock);
    }

    /** Opens (creating if needed) the database file. */
    public static SqliteMetadataStore open(Path file) {
        return open(file, Clock.systemUTC());
    }

    /** Opens the database file, taking time stamps from {@code clock}. */
    public static SqliteMetadataStore open(Path file, Clock clock) {
        SqliteDatabase db = new SqliteDatabase(file);
        SqlitePackageIndex packages = new SqlitePackageIndex(db);
        try {
            db.write("upgrade the package index", c -> {
                packages.upgrade(c);
                return null;
            });
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new SqliteMetadataStore(db, packages, clock);
    }
}
