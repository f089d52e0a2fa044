package io.bpfstore.registry.packages;

import java.util.List;

/**
 * A package version to index, taken from a pushed image's config labels.
 *
 * @param namespace    namespace (first segment of the repository)
 * @param name         package name (second segment)
 * @param version      the tag, a semantic version
 * @param digest       manifest digest, {@code sha256:...}
 * @param description  description, empty if none
 * @param license      SPDX licence expression, empty if none
 * @param programTypes program types, sorted, lowercase
 * @param attachTypes  attach types (hooks), sorted, lowercase
 * @param helpers      helpers called, sorted
 * @param mapTypes     map types (bpftool spelling), sorted, lowercase
 * @param metadata     the {@code io.bpfstore.package} label as compact JSON
 */
public record PackageRelease(String namespace, String name, String version, String digest, String description,
                             String license, List<String> programTypes, List<String> attachTypes,
                             List<String> helpers, List<String> mapTypes, String metadata) {
    /** Copies the lists. */
    public PackageRelease {
        programTypes = List.copyOf(programTypes);
        attachTypes = List.copyOf(attachTypes);
        helpers = List.copyOf(helpers);
        mapTypes = List.copyOf(mapTypes);
    }
}
