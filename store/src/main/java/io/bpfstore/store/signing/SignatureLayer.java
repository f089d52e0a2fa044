package io.bpfstore.store.signing;

import java.util.Base64;
import java.util.Optional;

/**
 * One signature in a signature manifest: the payload bytes (the layer blob), the base64 DER signature (the
 * {@code dev.cosignproject.cosign/signature} annotation) and, if the signer left one, the fingerprint of its
 * public key. The fingerprint is not signed: it only lets a refusal say "untrusted key" rather than "does not
 * verify".
 *
 * @param payload   the simple signing payload bytes, exactly as stored
 * @param signature the base64 annotation text
 * @param signer    the signer's public key fingerprint hint, if present
 */
public record SignatureLayer(byte[] payload, String signature, Optional<String> signer) {
    /** Copies the payload. */
    public SignatureLayer {
        payload = payload.clone();
    }

    /** The payload bytes (a copy). */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** A layer for {@code payload} signed by {@code key}. */
    public static SignatureLayer sign(SimpleSigningPayload payload, SigningKey key) {
        byte[] bytes = payload.bytes();
        return new SignatureLayer(bytes, Base64.getEncoder().encodeToString(key.sign(bytes)),
                Optional.of(key.trusted().fingerprint()));
    }

    /** The decoded DER signature; empty when the annotation is not base64. */
    public Optional<byte[]> signatureDer() {
        try {
            return Optional.of(Base64.getDecoder().decode(signature.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
