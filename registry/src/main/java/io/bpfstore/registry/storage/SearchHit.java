package io.bpfstore.registry.storage;

import java.util.List;

/**
 * One package in search results, described by its latest version.
 *
 * @param namespace    namespace
 * @param name         package name
 * @param version      latest version (see {@link PackageRecord#latest()})
 * @param description  description of that version
 * @param license      its licence
 * @param programTypes program types it contains
 * @param downloads    downloads of all versions of the package
 * @param digest       manifest digest of that version
 */
public record SearchHit(String namespace, String name, String version, String description, String license,
                        List<String> programTypes, long downloads, String digest) {
    /** Copies the list. */
    public SearchHit {
        programTypes = List.copyOf(programTypes);
    }
}
