package io.bpfstore.agent.local;

import io.bpfstore.agent.api.ApiException;
import io.bpfstore.agent.api.InstallBody;
import io.bpfstore.install.PackageSource;
import io.bpfstore.install.PolicyGate;
import io.bpfstore.install.ResolvedPackage;
import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.store.policy.HostPolicy;
import io.bpfstore.store.registry.PackageReference;
import io.bpfstore.store.registry.ProgressBar;
import io.bpfstore.store.registry.RegistryClient;
import io.bpfstore.store.signing.KeyFiles;
import io.bpfstore.store.signing.SignaturePolicy;
import io.bpfstore.store.signing.TrustedKey;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether to trust a package — registry, trusted keys, unsigned packages, host policy — and the step that applies
 * it: pull and verify, then let the host policy judge, before anything touches the kernel.
 *
 * @param env            the environment the defaults come from (config file, registry)
 * @param defaultRegistry the registry when a request names none (the agent's {@code --registry})
 */
public record Admission(Map<String, String> env, Optional<String> defaultRegistry) {
    /** The trusted-keys directory beside the config file. */
    public static final String TRUSTED_KEYS_DIR = "trusted-keys";

    /** Copies. */
    public Admission {
        env = Map.copyOf(env);
    }

    /** The package {@code name} names, resolved and verified, once the host policy allows it (else it throws). */
    public ResolvedPackage admitted(String name, InstallBody.Trust trust) {
        HostPolicy policy = hostPolicy(trust);
        ResolvedPackage pkg = resolve(name, trust, policy);
        PolicyGate.decide(policy, pkg).requireAllowed();
        return pkg;
    }

    /** The trusted-keys directory of the config in {@code env}. */
    public static Path trustedKeysDir(StoreConfig config) {
        return config.file().toAbsolutePath().getParent().resolve(TRUSTED_KEYS_DIR);
    }

    /** The host policy {@code trust} answers to (file or defaults, plus its keys, allowing unsigned if asked). */
    public HostPolicy policy(InstallBody.Trust trust) {
        return hostPolicy(trust);
    }

    private HostPolicy hostPolicy(InstallBody.Trust trust) {
        HostPolicy policy = trust.policy() != null ? HostPolicy.load(Path.of(trust.policy()))
                : HostPolicy.loadOrDefaults(HostPolicy.DEFAULT_PATH);
        List<TrustedKey> userKeys = trust.keys().isEmpty()
                ? KeyFiles.trustedKeys(trustedKeysDir(StoreConfig.locate(env)))
                : trust.keys().stream().map(k -> TrustedKey.read(Path.of(k))).toList();
        if (!userKeys.isEmpty()) {
            policy = policy.withSigners(HostPolicy.ANY_NAMESPACE, userKeys);
        }
        return trust.allowUnsigned() ? policy.allowingUnsigned() : policy;
    }

    private ResolvedPackage resolve(String name, InstallBody.Trust trust, HostPolicy policy) {
        if (PackageSource.isLocal(name)) {
            return PackageSource.local(name);
        }
        return PackageSource.pull(name, client(trust), signaturePolicy(name, policy));
    }

    /** The registry client for {@code trust}'s registry (else the default, else the config's). */
    public RegistryClient client(InstallBody.Trust trust) {
        StoreConfig config = StoreConfig.locate(env);
        URI uri = config.registry(Optional.ofNullable(trust.registry()).or(() -> defaultRegistry), env);
        return new RegistryClient(uri, config.credentials(uri), ProgressBar.silent());
    }

    private SignaturePolicy signaturePolicy(String name, HostPolicy policy) {
        if (policy.allowUnsigned()) {
            return new SignaturePolicy.AllowUnsigned();
        }
        List<TrustedKey> trusted = policy.signersFor(PackageReference.parse(name).namespace());
        if (trusted.isEmpty()) {
            throw new ApiException(422, "no trusted keys to verify the signature of " + name + " with: pass --key "
                    + "PUB.pem, put public keys in " + trustedKeysDir(StoreConfig.locate(env))
                    + ", add signers to the host policy, or pass --allow-unsigned");
        }
        return new SignaturePolicy.Require(trusted);
    }
}
