package io.bpfstore.install.api;

import java.util.Optional;

/**
 * {@code bpfstore upgrade}: an installation and the package to move it to.
 *
 * @param name      the installation name, optionally {@code @VERSION} (default: the latest of its registry package)
 * @param from      the new package: a registry reference, layout directory or {@code .o} file (default: the
 *                  installation's registry package at VERSION)
 * @param resetMaps start maps whose definition changed empty instead of refusing
 * @param trust     registry, keys and host policy
 * @param allowDowngrade install a version lower than the installed one (a rollback); refused otherwise, so that a
 *                  registry serving an older signed version under a newer tag cannot roll a host back
 */
public record UpgradeRequest(String name, Optional<String> from, boolean resetMaps, Trust trust,
                             boolean allowDowngrade) {
}
