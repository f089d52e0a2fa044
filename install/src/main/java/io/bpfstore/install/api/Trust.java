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
 * @param allowDowngrade {@code --allow-downgrade}: accept a version lower than one already pulled (a rollback)
 */
public record Trust(Optional<String> registry, List<String> keys, boolean allowUnsigned, Optional<String> policy,
                    boolean allowDowngrade) {
    /** Copies. */
    public Trust {
        keys = List.copyOf(keys);
    }

    /** Trust without a downgrade allowed. */
    public Trust(Optional<String> registry, List<String> keys, boolean allowUnsigned, Optional<String> policy) {
        this(registry, keys, allowUnsigned, policy, false);
    }

    /** This trust, with {@code --allow-downgrade} as given. */
    public Trust allowingDowngrade(boolean allow) {
        return new Trust(registry, keys, allowUnsigned, policy, allow);
    }

    /** The defaults: registry, keys and policy from the configuration, signatures required. */
    public static Trust defaults() {
        return new Trust(Optional.empty(), List.of(), false, Optional.empty());
    }
}
