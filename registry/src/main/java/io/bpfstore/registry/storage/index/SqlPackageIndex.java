package io.bpfstore.registry.storage.index;

import io.bpfstore.registry.packages.PackageRelease;
import io.bpfstore.registry.storage.PackageIndex;
import io.bpfstore.registry.storage.PackageRecord;
import io.bpfstore.registry.storage.VersionRecord;
import io.bpfstore.registry.storage.jdbc.SqlDatabase;
import io.bpfstore.store.image.Digest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A package index in SQL tables ({@link PackageTables}): how versions are written, yanked, removed and read is the
 * same in every store; each store supplies how it takes a package for a change ({@link #lockPackage}), how it
 * rebuilds a package's search structure from its versions ({@link #refresh}), and its search and download count.
 */
public abstract class SqlPackageIndex implements PackageIndex {
    /** The database the index's tables are in. */
    protected final SqlDatabase db;

    /** An index over the tables of {@code db}. */
    protected SqlPackageIndex(SqlDatabase db) {
        this.db = db;
    }

    /**
     * The id of package {@code namespace/name}, if there is one, taken for the rest of the caller's write
     * transaction: no other transaction changes its versions or search row until this one ends.
     */
    protected abstract Optional<Long> lockPackage(Connection c, String namespace, String name) throws SQLException;

    /**
     * Recomputes the search structure of package {@code id} from its versions, deleting the package when it has
     * none left; the caller has taken it with {@link #lockPackage}.
     */
    protected abstract void refresh(Connection c, long id) throws SQLException;

    /** Adds or replaces a version inside the caller's write transaction. */
    public final void index(Connection c, PackageRelease r, Instant now) throws SQLException {
        PackageTables.insertPackage(c, r.namespace(), r.name());
        long id = lockPackage(c, r.namespace(), r.name()).orElseThrow();
        PackageTables.putVersion(c, id, r, now);
        refresh(c, id);
    }

    /** Removes the versions a deleted manifest published, inside the caller's write transaction. */
    public final void removeVersions(Connection c, String repository, Digest digest) throws SQLException {
        String[] parts = repository.split("/");
        if (parts.length != 2) {
            return;
        }
        Optional<Long> id = lockPackage(c, parts[0], parts[1]);
        if (id.isEmpty()) {
            return;
        }
        PackageTables.deleteVersions(c, id.get(), digest.toString());
        refresh(c, id.get());
    }

    @Override
    public final Optional<PackageRecord> find(String namespace, String name) {
        return db.read("find package", c -> PackageTables.find(c, namespace, name));
    }

    @Override
    public final Optional<VersionRecord> version(String namespace, String name, String version) {
        return db.read("find package version", c -> PackageTables.version(c, namespace, name, version));
    }

    @Override
    public final boolean setYanked(String namespace, String name, String version, boolean yanked) {
        return db.write("yank package version", c -> {
            Optional<Long> id = lockPackage(c, namespace, name);
            if (id.isEmpty()) {
                return false;
            }
            if (!PackageTables.setYanked(c, id.get(), version, yanked)) {
                return false;
            }
            refresh(c, id.get());
            return true;
        });
    }

    @Override
    public final List<String> packagesIn(List<String> namespaces) {
        return db.read("list packages", c -> PackageTables.packagesIn(c, namespaces));
    }
}
