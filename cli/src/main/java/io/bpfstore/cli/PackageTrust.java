package io.bpfstore.cli;

import io.bpfstore.agent.api.InstallBody;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options by which install and upgrade decide whether to trust a package — registry, trusted keys,
 * {@code --allow-unsigned}, host policy. The pull, the signature check and the policy's decision run where the
 * installation runs (the agent, or this process), in {@code io.bpfstore.agent.local.Admission}.
 */
final class PackageTrust {
    @Option(names = "--registry", paramLabel = "URL", description = "registry address (default: BPFSTORE_REGISTRY or the config file)")
    String registry;

    @Option(names = "--key", paramLabel = "PUB.pem", description = "trusted public key (repeatable; default: the trusted-keys directory)")
    List<Path> keys = new ArrayList<>();

    @Option(names = "--allow-unsigned", description = "accept a package without a verified signature (recorded: no signer)")
    boolean allowUnsigned;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "host policy (default: /etc/bpfstore/policy.yaml, else signatures required and nothing denied)")
    Path policyFile;

    /** The options as the API's trust part (paths made absolute: the agent reads them). */
    InstallBody.Trust trust() {
        return new InstallBody.Trust(registry, keys.stream().map(k -> k.toAbsolutePath().toString()).toList(),
                allowUnsigned, policyFile == null ? null : policyFile.toAbsolutePath().toString());
    }
}
