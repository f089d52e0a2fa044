package io.bpfstore.install.api;

import java.util.List;
import java.util.Optional;

/**
 * How install and upgrade decide whether to trust a package.
 *
 * @param registry      {@code --registry}: the registry address (default: BPFSTORE_REGISTRY or the config file)
 * @param keys          {@code --key}: trusted public key files (default: the trusted-keys directory)
 * @param allowUnsigned {@code --allow-unsigned}: accept a package without a verified signature
 * @param policy        {@code --policy}: the host policy file (default: /etc/bpfstore/policy.yaml, else the
 *                      built-in defaults)
 */
public record Trust(Optional<String> registry, List<String> keys, boolean allowUnsigned, Optional<String> policy) {
    /** Copies. */
    public Trust {
        keys = List.copyOf(keys);
    }

    /** The defaults: registry, keys and policy from the configuration, signatures required. */
    public static Trust defaults() {
        return new Trust(Optional.empty(), List.of(), false, Optional.empty());
    }
}
