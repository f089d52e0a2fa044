package io.bpfstore.cli;

import io.bpfstore.install.api.Trust;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options by which install and upgrade decide whether to trust a package — registry, trusted keys,
 * {@code --allow-unsigned}, host policy — as the {@link Trust} the install service applies.
 */
final class PackageTrust {
    @Mixin
    RegistryOption registry;

    @Option(names = "--key", paramLabel = "PUB.pem", description = "trusted public key (repeatable; default: the trusted-keys directory)")
    List<Path> keys = new ArrayList<>();

    @Option(names = "--allow-unsigned", description = "accept a package without a verified signature (recorded: no signer)")
    boolean allowUnsigned;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "host policy (default: /etc/bpfstore/policy.yaml, else signatures required and nothing denied)")
    Path policyFile;

    /** The options as the service takes them (paths made absolute: the service may run in another process). */
    Trust trust() {
        return new Trust(Optional.ofNullable(registry.url), keys.stream().map(p -> p.toAbsolutePath().toString()).toList(),
                allowUnsigned, Optional.ofNullable(policyFile).map(p -> p.toAbsolutePath().toString()));
    }
}
