package io.bpfstore.registry.trust;

import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.ManifestRecord;
import io.bpfstore.registry.storage.Repositories;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.signing.KeyException;
import io.bpfstore.store.signing.SignatureLayer;
import io.bpfstore.store.signing.SignatureManifest;
import io.bpfstore.store.signing.TrustedKey;
import io.bpfstore.store.signing.VerificationException;
import io.bpfstore.store.signing.Verifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cosign signatures of manifests stored in the registry, checked against the keys the namespace's publisher
 * registered. Used by the push check of namespaces that require signatures and by the package page.
 */
public final class PackageSignatures {
    /** Largest signature blob (payload or config) read; payloads are a few hundred bytes. */
    public static final long MAX_SIGNATURE_BLOB = 64 * 1024;

    private final Repositories repositories;
    private final Accounts accounts;
    private final StoredImages images;

    /** Reads signature manifests from {@code repositories}, their blobs from {@code blobs}, keys from {@code accounts}. */
    public PackageSignatures(Repositories repositories, BlobStore blobs, Accounts accounts) {
        this.repositories = repositories;
        this.accounts = accounts;
        this.images = new StoredImages(blobs);
    }

    /** What the registry knows about a manifest's signature. */
    public sealed interface Status {
    }

    /**
     * A signature verifies under a key the publisher registered.
     *
     * @param fingerprint the key's fingerprint
     * @param publisher   the publisher who registered it
     */
    public record Verified(String fingerprint, String publisher) implements Status {
    }

    /**
     * Signatures exist but none verifies under a registered key.
     *
     * @param signers the signers' fingerprint hints (unsigned claims)
     * @param reason  why none verifies
     */
    public record Unverified(List<String> signers, String reason) implements Status {
        /** Copies the list. */
        public Unverified {
            signers = List.copyOf(signers);
        }
    }

    /** No signature manifest for the digest. */
    public record Unsigned() implements Status {
    }

    /** The registered keys of the owner of {@code namespace} (none when nobody owns it). */
    public List<TrustedKey> keys(String namespace) {
        Optional<String> owner = accounts.namespaceOwner(namespace);
        List<TrustedKey> out = new ArrayList<>();
        owner.ifPresent(o -> accounts.signingKeys(o).forEach((fp, pem) -> {
            try {
                out.add(TrustedKey.parse(pem, "registered key " + fp));
            } catch (KeyException e) {
                // validated when registered; a damaged row only removes that key
            }
        }));
        return out;
    }

    /** The signature status of manifest {@code digest} in {@code repository}. */
    public Status status(String repository, Digest digest) throws IOException {
        Optional<ManifestRecord> sig = repositories.taggedManifest(repository, SignatureManifest.tag(digest));
        if (sig.isEmpty()) {
            return new Unsigned();
        }
        List<SignatureLayer> layers;
        try {
            layers = SignatureManifest.read(images.read(sig.get().content(), MAX_SIGNATURE_BLOB));
        } catch (InvalidImageException e) {
            return new Unverified(List.of(), "signature manifest is malformed: " + e.getMessage());
        }
        List<String> hints = layers.stream().flatMap(l -> l.signer().stream()).distinct().toList();
        String namespace = namespace(repository);
        List<TrustedKey> keys = keys(namespace);
        if (keys.isEmpty()) {
            return new Unverified(hints, "the publisher of " + namespace + " registered no signing key");
        }
        try {
            Verifier.Verified v = verify(repository, digest, layers, keys);
            return new Verified(v.key().fingerprint(), accounts.namespaceOwner(namespace).orElse(""));
        } catch (VerificationException e) {
            return new Unverified(hints, e.getMessage());
        }
    }

    /** Verifies {@code layers} as signatures of {@code digest} in {@code repository} (see {@link Verifier}). */
    static Verifier.Verified verify(String repository, Digest digest, List<SignatureLayer> layers,
                                    List<TrustedKey> keys) {
        return Verifier.verify(repository + "@" + digest, repository, digest, layers, keys);
    }

    /** Reads the signature layers of a signature manifest's bytes. */
    List<SignatureLayer> layers(byte[] signatureManifest) throws IOException {
        return SignatureManifest.read(images.read(signatureManifest, MAX_SIGNATURE_BLOB));
    }

    /** The namespace of a repository: its first path segment. */
    static String namespace(String repository) {
        int slash = repository.indexOf('/');
        return slash < 0 ? repository : repository.substring(0, slash);
    }
}
