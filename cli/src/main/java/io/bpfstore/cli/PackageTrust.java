package io.bpfstore.cli;

import io.bpfstore.install.PackageSource;
import io.bpfstore.install.PolicyGate;
import io.bpfstore.install.ResolvedPackage;
import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.store.policy.HostPolicy;
import io.bpfstore.store.client.PackageReference;
import io.bpfstore.store.client.ProgressBar;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.signing.KeyFiles;
import io.bpfstore.store.signing.SignaturePolicy;
import io.bpfstore.store.signing.TrustedKey;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options by which install and upgrade decide whether to trust a package — registry, trusted keys,
 * {@code --allow-unsigned}, host policy — and the step that applies them: pull and verify, then let the host
 * policy judge, before anything touches the kernel.
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

    /** The package {@code name} names, resolved and verified, once the host policy allows it (else it throws). */
    ResolvedPackage admitted(String name) {
        HostPolicy policy = hostPolicy();
        ResolvedPackage pkg = resolve(name, policy);
        PolicyGate.decide(policy, pkg).requireAllowed();
        return pkg;
    }

    /**
     * The host policy an install or upgrade answers to: the policy file (or the built-in defaults), also trusting
     * the keys the user trusts for pulls, and allowing unsigned packages when asked to.
     */
    private HostPolicy hostPolicy() {
        HostPolicy policy = policyFile != null ? HostPolicy.load(policyFile)
                : HostPolicy.loadOrDefaults(HostPolicy.DEFAULT_PATH);
        List<TrustedKey> userKeys = userKeys(StoreConfig.locate(System.getenv()), keys);
        if (!userKeys.isEmpty()) {
            policy = policy.withSigners(HostPolicy.ANY_NAMESPACE, userKeys);
        }
        return allowUnsigned ? policy.allowingUnsigned() : policy;
    }

    /**
     * The package NAME names: a local layout or object, else a registry package pulled with every digest checked
     * and its signature verified against the user's trusted keys and the policy's signers for its namespace.
     */
    private ResolvedPackage resolve(String name, HostPolicy policy) {
        if (PackageSource.isLocal(name)) {
            return PackageSource.local(name);
        }
        StoreConfig config = StoreConfig.locate(System.getenv());
        URI uri = config.registry(Optional.ofNullable(registry), System.getenv());
        RegistryClient client = new RegistryClient(uri, config.credentials(uri), ProgressBar.forStderr());
        return PackageSource.pull(name, client, signaturePolicy(name, policy));
    }

    private static SignaturePolicy signaturePolicy(String name, HostPolicy policy) {
        if (policy.allowUnsigned()) {
            return new SignaturePolicy.AllowUnsigned();
        }
        List<TrustedKey> trusted = policy.signersFor(PackageReference.parse(name).namespace());
        if (trusted.isEmpty()) {
            throw new UserError("no trusted keys to verify the signature of " + name + " with: pass --key PUB.pem, "
                    + "put public keys in " + VerifyCommand.trustedKeysDir(StoreConfig.locate(System.getenv()))
                    + ", add signers to the host policy, or pass --allow-unsigned");
        }
        return new SignaturePolicy.Require(trusted);
    }

    /** The keys given with --key, else those in the trusted-keys directory. */
    private static List<TrustedKey> userKeys(StoreConfig config, List<Path> keyFiles) {
        return keyFiles.isEmpty() ? KeyFiles.trustedKeys(VerifyCommand.trustedKeysDir(config))
                : keyFiles.stream().map(TrustedKey::read).toList();
    }
}
