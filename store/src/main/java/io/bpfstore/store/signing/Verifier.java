package io.bpfstore.store.signing;

import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.signing.VerificationException.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies an image's cosign signatures against trusted keys, as {@code cosign verify --key} does: some
 * signature layer must verify under a trusted key over its exact payload bytes, and that payload must name
 * the digest being verified and its repository.
 *
 * <pre>{@code
 * Verified v = Verifier.verify(client, "examples/xdp-counter", digest, List.of(TrustedKey.read(pub)));
 * }</pre>
 */
public final class Verifier {
    private Verifier() {
    }

    /**
     * A signature that verified.
     *
     * @param subject the verified manifest digest
     * @param key     the trusted key whose signature verified
     * @param payload the signed payload
     */
    public record Verified(Digest subject, TrustedKey key, SimpleSigningPayload payload) {
    }

    /** One signature layer's verdict: a reason it fails and what was found. */
    private record Failure(Reason reason, String detail) {
    }

    /**
     * Verifies the signatures of manifest {@code subject} in {@code repository}; throws
     * {@link VerificationException} with the most specific reason when none passes.
     */
    public static Verified verify(RegistryClient client, String repository, Digest subject, List<TrustedKey> keys) {
        return verifyFetched(client, repository, subject, keys).verified();
    }

    /**
     * A signature that verified, with the signature image it came from (kept by callers that re-verify later
     * without the registry, such as install's package cache).
     *
     * @param verified  the verdict
     * @param signature the signature image ({@code sha256-<hex>.sig}) as fetched, every digest checked
     */
    public record Fetched(Verified verified, Image signature) {
    }

    /** As {@link #verify(RegistryClient, String, Digest, List)}, also returning the signature image. */
    public static Fetched verifyFetched(RegistryClient client, String repository, Digest subject, List<TrustedKey> keys) {
        if (keys.isEmpty()) {
            throw new KeyException("trusted keys", "none given: verification needs at least one trusted key");
        }
        String what = repository + "@" + subject;
        Optional<Image> image;
        try {
            image = SignatureStore.fetch(client, repository, subject);
        } catch (InvalidImageException e) { // includes DigestMismatchException
            throw new VerificationException(what, Reason.MALFORMED, "signature manifest "
                    + SignatureManifest.tag(subject) + ": " + e.getMessage());
        }
        if (image.isEmpty()) {
            throw new VerificationException(what, Reason.UNSIGNED, "the registry has no "
                    + SignatureManifest.tag(subject));
        }
        return new Fetched(verify(what, repository, subject, SignatureManifest.read(image.get()), keys), image.get());
    }

    /**
     * Whether the registry holds a signature manifest for {@code subject} at all (verified or not): lets a caller
     * with no trusted key say "signed by a key you do not trust" rather than "unsigned".
     */
    public static boolean isSigned(RegistryClient client, String repository, Digest subject) {
        try {
            return SignatureStore.fetch(client, repository, subject).isPresent();
        } catch (InvalidImageException e) {
            return true; // something is stored under the tag, if malformed
        }
    }

    /** Verifies already-fetched signature layers; {@code what} names the subject in the refusal. */
    public static Verified verify(String what, String repository, Digest subject, List<SignatureLayer> layers,
                                  List<TrustedKey> keys) {
        if (layers.isEmpty()) {
            throw new VerificationException(what, Reason.MALFORMED, "no layer of media type "
                    + SignatureManifest.LAYER_MEDIA_TYPE);
        }
        Set<String> trusted = keys.stream().map(TrustedKey::fingerprint).collect(Collectors.toSet());
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            SignatureLayer layer = layers.get(i);
            String at = "signature " + i + ": ";
            Optional<byte[]> der = layer.signatureDer();
            if (layer.signature().isEmpty() || der.isEmpty()) {
                failures.add(new Failure(Reason.BAD_SIGNATURE, at + (layer.signature().isEmpty() ? "no "
                        + SignatureManifest.SIGNATURE_ANNOTATION + " annotation" : "annotation is not base64")));
                continue;
            }
            byte[] payloadBytes = layer.payload();
            Optional<TrustedKey> by = keys.stream().filter(k -> k.verifies(payloadBytes, der.get())).findFirst();
            if (by.isEmpty()) {
                if (layer.signer().isPresent() && !trusted.contains(layer.signer().get())) {
                    failures.add(new Failure(Reason.UNTRUSTED_KEY, at + "signer says it is key "
                            + layer.signer().get() + ", trusted: " + String.join(", ", trusted)));
                } else {
                    failures.add(new Failure(Reason.BAD_SIGNATURE, at + "no trusted key ("
                            + String.join(", ", trusted) + ") verifies it over the payload "
                            + Digest.of(payloadBytes)));
                }
                continue;
            }
            SimpleSigningPayload payload;
            try {
                payload = SimpleSigningPayload.parse(payloadBytes);
            } catch (InvalidImageException e) {
                failures.add(new Failure(Reason.MALFORMED, at + e.getMessage()));
                continue;
            }
            if (!payload.manifestDigest().equals(subject)) {
                failures.add(new Failure(Reason.WRONG_DIGEST, at + "payload names " + payload.manifestDigest()));
            } else if (!payload.repositoryPath().equals(repository)) {
                failures.add(new Failure(Reason.WRONG_REPOSITORY, at + "payload names "
                        + payload.dockerReference()));
            } else {
                return new Verified(subject, by.get(), payload);
            }
        }
        Failure first = failures.stream().min(Comparator.comparing(Failure::reason)).orElseThrow();
        throw new VerificationException(what, first.reason(), failures.stream().map(Failure::detail)
                .collect(Collectors.joining("; ")));
    }
}
