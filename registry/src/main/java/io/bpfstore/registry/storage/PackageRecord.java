package io.bpfstore.registry.storage;

import java.util.List;
import java.util.Optional;

/**
 * A package and all its versions.
 *
 * @param namespace   namespace
 * @param name        name
 * @param description description of the latest version (or of the newest one if all are yanked)
 * @param latest      newest non-yanked stable version (a pre-release only if there is no stable one), if any
 * @param downloads   downloads of all versions
 * @param versions    every version, newest first
 */
public record PackageRecord(String namespace, String name, String description, Optional<String> latest,
                            long downloads, List<VersionRecord> versions) {
    /** Copies the list. */
    public PackageRecord {
        versions = List.copyOf(versions);
    }
}
