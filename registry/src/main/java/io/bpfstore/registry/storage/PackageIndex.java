package io.bpfstore.registry.storage;

import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.SearchQuery;
import java.util.List;
import java.util.Optional;

/**
 * The searchable package index. Versions are written by {@link Repositories#putManifest} (in the manifest's
 * transaction); this view reads them, yanks them and counts downloads.
 */
public interface PackageIndex {

    /** Packages matching every filter of the query, most downloaded first. */
    SearchPage search(SearchQuery query);

    /** The package with all versions. */
    Optional<PackageRecord> find(String namespace, String name);

    /** One version. */
    Optional<VersionRecord> version(String namespace, String name, String version);

    /** Sets the yank flag; false if there is no such version. */
    boolean setYanked(String namespace, String name, String version, boolean yanked);

    /** Counts one download of every version of the repository's package published as {@code digest}. */
    void countDownload(String repository, Digest digest);

    /** {@code namespace/name} of every package in the given namespaces, sorted. */
    List<String> packagesIn(List<String> namespaces);
}
