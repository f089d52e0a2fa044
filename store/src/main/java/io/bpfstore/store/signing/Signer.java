package io.bpfstore.store.signing;

import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Signs an image in a registry the way {@code cosign sign --key} does: signs the digest of the manifest the
 * registry serves (never a local copy, so what is signed is what pullers get) and pushes the signature manifest
 * under {@code sha256-<hex>.sig}. Existing signatures by other keys are kept; one by the same key is replaced.
 *
 * <pre>{@code
 * Signed s = Signer.sign(client, "examples/xdp-counter", "1.2.0", SigningKey.read(Path.of("signing.key")));
 * }</pre>
 */
public final class Signer {
    private Signer() {
    }

    /**
     * What was signed.
     *
     * @param repository the repository
     * @param subject    the signed manifest's digest
     * @param tag        the signature manifest's tag
     * @param signature  the signature manifest's digest
     */
    public record Signed(String repository, Digest subject, String tag, Digest signature) {
    }

    /** Signs the manifest {@code reference} (tag or digest) of {@code repository}. */
    public static Signed sign(RegistryClient client, String repository, String reference, SigningKey key) {
        Digest subject = Digest.of(client.manifest(repository, reference));
        return signDigest(client, repository, subject, key);
    }

    /**
     * Signs the manifest {@code subject} of {@code repository}: one the registry holds, or one about to be pushed
     * (a namespace that requires signatures refuses a manifest whose signature is not there first).
     */
    public static Signed signDigest(RegistryClient client, String repository, Digest subject, SigningKey key) {
        SimpleSigningPayload payload = new SimpleSigningPayload(client.base().getAuthority() + "/" + repository,
                subject);
        SignatureLayer ours = SignatureLayer.sign(payload, key);
        String fingerprint = key.trusted().fingerprint();
        List<SignatureLayer> layers = new ArrayList<>();
        Optional<Image> existing = SignatureStore.fetch(client, repository, subject);
        existing.ifPresent(image -> SignatureManifest.read(image).stream()
                .filter(l -> !l.signer().equals(Optional.of(fingerprint)))
                .limit(SignatureManifest.MAX_SIGNATURES - 1).forEach(layers::add));
        layers.add(ours);
        Image image = SignatureManifest.build(layers);
        String tag = SignatureManifest.tag(subject);
        client.push(image, repository, tag, PushOptions.DEFAULT);
        return new Signed(repository, subject, tag, image.digest());
    }
}
