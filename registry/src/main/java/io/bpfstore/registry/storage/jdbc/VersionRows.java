package io.bpfstore.registry.storage.jdbc;

import io.bpfstore.registry.packages.PackageRelease;
import io.bpfstore.store.image.Digest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The package index's part of a manifest push or delete, run in the repositories' transaction so a manifest, its
 * tag and its package version agree. Each set-up's package index supplies both steps.
 *
 * @param index  records a pushed release's version
 * @param remove drops the versions a deleted manifest carried
 */
public record VersionRows(Index index, Removal remove) {
    /** Records a pushed release's version. */
    @FunctionalInterface
    public interface Index {
        /** Indexes {@code release}, published {@code now}. */
        void index(Connection c, PackageRelease release, Instant now) throws SQLException;
    }

    /** Drops the package versions of a deleted manifest. */
    @FunctionalInterface
    public interface Removal {
        /** Removes the versions whose image is {@code digest} in {@code repository}. */
        void removeVersions(Connection c, String repository, Digest digest) throws SQLException;
    }
}
