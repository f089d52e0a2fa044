package io.bpfstore.agent.api;

import java.util.List;

/**
 * {@code POST /v1/installations/{name}/upgrade}: the new version, as {@code bpfstore upgrade} says it.
 *
 * @param version       the version to upgrade to (default: the latest released), for registry installations
 * @param from          the new package when not the installation's own registry package
 * @param resetMaps     start maps whose definition changed empty instead of refusing
 * @param registry      registry address (default: the agent's)
 * @param keys          trusted public key files
 * @param allowUnsigned accept a package without a verified signature
 * @param policy        host policy file
 */
public record UpgradeBody(String version, String from, boolean resetMaps, String registry, List<String> keys,
                          boolean allowUnsigned, String policy) {
    /** Copies. */
    public UpgradeBody {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    /** The trust part of the request. */
    public InstallBody.Trust trust() {
        return new InstallBody.Trust(registry, keys, allowUnsigned, policy);
    }
}
