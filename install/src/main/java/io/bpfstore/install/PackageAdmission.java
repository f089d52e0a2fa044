package io.bpfstore.install;

import io.bpfstore.store.image.FetchPurpose;
import io.bpfstore.install.api.Trust;
import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.store.policy.HostPolicy;
import io.bpfstore.store.client.PackageReference;
import io.bpfstore.store.client.ProgressBar;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.signing.KeyFiles;
import io.bpfstore.store.signing.SignatureManifest;
import io.bpfstore.store.signing.Verifier;
import io.bpfstore.store.signing.SignaturePolicy;
import io.bpfstore.store.signing.TrustedKey;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a package may be installed: pull it with every digest checked and its signature verified (or take a
 * local layout or object), then let the host policy judge — before anything touches the kernel, so a refusal
 * leaves nothing loaded, attached or recorded.
 *
 * @param trust    the registry, keys and policy the caller names
 * @param env      the environment (config file, registry, credentials)
 * @param progress where pulls show their progress
 * @param cache    where the package is kept for restore, when it is installed
 */
record PackageAdmission(Trust trust, Map<String, String> env, ProgressBar progress, Optional<PackageCache> cache) {
    /** An admission that keeps no package (checks only). */
    PackageAdmission(Trust trust, Map<String, String> env, ProgressBar progress) {
        this(trust, env, progress, Optional.empty());
    }

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
            return PackageSource.local(reference, cache);
        }
        StoreConfig config = StoreConfig.locate(env);
        URI uri = config.registry(trust.registry(), env);
        RegistryClient client = new RegistryClient(uri, config.credentials(uri), progress)
                .withPurpose(FetchPurpose.INSTALL);
        return PackageSource.pull(reference, client, signaturePolicy(reference, policy, config),
                Optional.of(new io.bpfstore.store.signing.VerifiedPull.Rollback(config.pulledVersions(),
                        trust.allowDowngrade())), cache);
    }

    /**
     * The package of a recorded installation as restore re-creates it from the package cache: every digest
     * re-hashed, the kept signature re-verified against the keys trusted now (as the pull would, under the same
     * {@link SignaturePolicy}), the {@code --set} values of its install applied, and the host policy's decision.
     *
     * @param recorded the package the state database records for the installation
     * @throws InstallException when the cache lacks it or it was changed, or no trusted key is left
     * @throws io.bpfstore.store.signing.VerificationException when the kept signature no longer verifies
     * @throws io.bpfstore.store.policy.PolicyDeniedException when the policy denies it now
     */
    ResolvedPackage restored(ResolvedPackage recorded, PackageCache store, PackageCache.Entry entry) {
        HostPolicy policy = hostPolicy();
        Digest digest = Digest.parse(recorded.digest());
        ResolvedPackage pkg;
        if (entry.object()) {
            byte[] object = store.blob(digest, "object");
            pkg = new ResolvedPackage(recorded.repository(), recorded.name(), recorded.version(), recorded.source(),
                    recorded.digest(), recorded.objectName(), object, recorded.hooks(), Optional.empty());
        } else {
            Image image = store.image(digest);
            Optional<String> signedBy = Optional.empty();
            if (!recorded.source().startsWith("/") && !policy.allowUnsigned()) {
                String reference = recorded.repository() + "@" + recorded.version();
                List<TrustedKey> trusted = policy.signersFor(PackageReference.parse(recorded.repository()).namespace());
                if (trusted.isEmpty()) {
                    throw new InstallException("no trusted keys left to re-verify the signature of " + reference
                            + " with (the keys or the host policy changed since it was installed)");
                }
                Image signature = store.signature(digest).orElseThrow(() -> new InstallException(
                        "the package cache keeps no signature for " + reference + " (" + digest + ")"));
                signedBy = Optional.of(Verifier.verify(recorded.repository() + "@" + digest, recorded.repository(),
                        digest, SignatureManifest.read(signature), trusted).key().fingerprint());
            }
            pkg = PackageSource.fromImage(image, recorded.source(), signedBy);
        }
        pkg = pkg.configured(entry.globals());
        PolicyGate.decide(policy, pkg).requireAllowed();
        return pkg;
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
