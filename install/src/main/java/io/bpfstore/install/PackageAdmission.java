package io.bpfstore.install;

import io.bpfstore.install.api.Trust;
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
import java.util.List;
import java.util.Map;

/**
 * Whether a package may be installed: pull it with every digest checked and its signature verified (or take a
 * local layout or object), then let the host policy judge — before anything touches the kernel, so a refusal
 * leaves nothing loaded, attached or recorded.
 *
 * @param trust    the registry, keys and policy the caller names
 * @param env      the environment (config file, registry, credentials)
 * @param progress where pulls show their progress
 */
record PackageAdmission(Trust trust, Map<String, String> env, ProgressBar progress) {
    /**
     * The package {@code reference} names, resolved and verified, once the host policy allows it.
     *
     * @throws InstallException when there is nothing to verify a signature with
     * @throws io.bpfstore.store.policy.PolicyDeniedException when the policy denies it
     */
    ResolvedPackage admitted(String reference) {
        HostPolicy policy = hostPolicy();
        ResolvedPackage pkg = resolve(reference, policy);
        PolicyGate.decide(policy, pkg).requireAllowed();
        return pkg;
    }

    /**
     * The host policy an install or upgrade answers to: the policy file (or the built-in defaults), also trusting
     * the keys the user trusts for pulls, and allowing unsigned packages when asked to.
     */
    HostPolicy hostPolicy() {
        HostPolicy policy = trust.policy().map(p -> HostPolicy.load(Path.of(p)))
                .orElseGet(() -> HostPolicy.loadOrDefaults(HostPolicy.DEFAULT_PATH));
        StoreConfig config = StoreConfig.locate(env);
        List<TrustedKey> userKeys = trust.keys().isEmpty() ? KeyFiles.trustedKeys(config.trustedKeysDir())
                : trust.keys().stream().map(k -> TrustedKey.read(Path.of(k))).toList();
        if (!userKeys.isEmpty()) {
            policy = policy.withSigners(HostPolicy.ANY_NAMESPACE, userKeys);
        }
        return trust.allowUnsigned() ? policy.allowingUnsigned() : policy;
    }

    /**
     * A local layout or object, else a registry package pulled with every digest checked and its signature verified
     * against the user's trusted keys and the policy's signers for its namespace.
     */
    private ResolvedPackage resolve(String reference, HostPolicy policy) {
        if (PackageSource.isLocal(reference)) {
            return PackageSource.local(reference);
        }
        StoreConfig config = StoreConfig.locate(env);
        URI uri = config.registry(trust.registry(), env);
        RegistryClient client = new RegistryClient(uri, config.credentials(uri), progress);
        return PackageSource.pull(reference, client, signaturePolicy(reference, policy, config),
                java.util.Optional.of(new io.bpfstore.store.signing.VerifiedPull.Rollback(config.pulledVersions(),
                        trust.allowDowngrade())));
    }

    private static SignaturePolicy signaturePolicy(String reference, HostPolicy policy, StoreConfig config) {
        if (policy.allowUnsigned()) {
            return new SignaturePolicy.AllowUnsigned();
        }
        List<TrustedKey> trusted = policy.signersFor(PackageReference.parse(reference).namespace());
        if (trusted.isEmpty()) {
            throw new InstallException("no trusted keys to verify the signature of " + reference + " with: pass --key "
                    + "PUB.pem, put public keys in " + config.trustedKeysDir() + ", add signers to the host policy, "
                    + "or pass --allow-unsigned");
        }
        return new SignaturePolicy.Require(trusted);
    }
}
