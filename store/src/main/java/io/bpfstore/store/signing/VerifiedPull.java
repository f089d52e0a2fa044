package io.bpfstore.store.signing;

import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.SemVer;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.config.PulledVersions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A pull that checks the signature first: resolves the reference to the manifest digest, verifies that digest's
 * signature under the policy, then pulls by that digest (so a tag moved in between cannot slip in other
 * content). On refusal nothing is written.
 */
public final class VerifiedPull {
    private VerifiedPull() {
    }

    /**
     * The result.
     *
     * @param manifest the pulled manifest's descriptor
     * @param verified  the signature that verified; empty under {@link SignaturePolicy.AllowUnsigned}
     * @param signature the signature image it verified from (to re-verify later without the registry)
     */
    public record Pulled(Descriptor manifest, Optional<Verifier.Verified> verified, Optional<Image> signature) {
    }

    /**
     * Pulls {@code reference} (tag or digest) of {@code repository} into a new layout at {@code out}, tagged
     * {@code refName} (see {@link RegistryClient#pull}).
     */
    public static Pulled pull(RegistryClient client, String repository, String reference, String refName, Path out,
                              SignaturePolicy policy) throws IOException {
        return pull(client, repository, reference, refName, out, policy, Optional.empty());
    }

    /**
     * Refuses a version lower than one already pulled ({@link PulledVersions}) unless a downgrade was asked for.
     *
     * @param pulled         the client's record of the highest versions pulled
     * @param allowDowngrade {@code --allow-downgrade}: a lower version is accepted (and the record not lowered)
     */
    public record Rollback(PulledVersions pulled, boolean allowDowngrade) {
    }

    /**
     * Like {@link #pull(RegistryClient, String, String, String, Path, SignaturePolicy)}, and with a {@code rollback}
     * guard: a version lower than the highest already pulled from this registry is refused before anything is
     * downloaded (a version named in the reference) or before the layout appears (a digest, or what "latest"
     * resolved to), and a verified pull raises the record.
     */
    public static Pulled pull(RegistryClient client, String repository, String reference, String refName, Path out,
                              SignaturePolicy policy, Optional<Rollback> rollback) throws IOException {
        java.net.URI registry = client.base();
        if (rollback.isPresent() && SemVer.isPackageVersion(reference)) {
            rollback.get().pulled().check(registry, repository, reference, rollback.get().allowDowngrade());
        }
        String[] served = new String[1];
        Digest subject = Digest.of(client.manifest(repository, reference));
        Optional<Verifier.Fetched> verified = switch (policy) {
            case SignaturePolicy.Require r -> Optional.of(Verifier.verifyFetched(client, repository, subject, r.keys()));
            case SignaturePolicy.AllowUnsigned a -> Optional.empty();
        };
        // pulled by the signed digest, yet the content must still be the version the caller asked for
        Descriptor d = client.pull(repository, subject.toString(), refName, out,
                SemVer.isPackageVersion(reference) ? Optional.of(reference) : Optional.empty(), version -> {
                    rollback.ifPresent(r -> r.pulled().check(registry, repository, version, r.allowDowngrade()));
                    served[0] = version;
                });
        if (rollback.isPresent() && served[0] != null) {
            rollback.get().pulled().record(registry, repository, served[0]);
        }
        return new Pulled(d, verified.map(Verifier.Fetched::verified), verified.map(Verifier.Fetched::signature));
    }
}
