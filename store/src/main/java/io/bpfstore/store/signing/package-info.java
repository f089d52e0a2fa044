/**
 * Cosign-compatible package signatures: ECDSA P-256 keys in PEM ({@link io.bpfstore.store.signing.SigningKey},
 * unencrypted or PBES2-encrypted PKCS#8 with the password from {@link io.bpfstore.store.signing.KeyPassword};
 * {@link io.bpfstore.store.signing.TrustedKey}),
 * the "simple signing" payload ({@link io.bpfstore.store.signing.SimpleSigningPayload}), the signature manifest
 * cosign stores under the tag {@code sha256-<hex>.sig} ({@link io.bpfstore.store.signing.SignatureManifest}), and
 * signing and verification against a registry ({@link io.bpfstore.store.signing.Signer},
 * {@link io.bpfstore.store.signing.Verifier}).
 *
 * <p>Traps: the signature covers the payload bytes exactly as stored in the layer blob, never a re-serialisation,
 * so verification hashes the downloaded bytes and only then parses them. The signature manifest's config and
 * annotations other than the signature are not signed; the payload's digest claim is what binds a signature to
 * an image, so it is always compared with the digest being verified. The {@code .sig} tag is mutable: anyone with
 * push rights can replace it, which can delete signatures but never forge one.
 */
package io.bpfstore.store.signing;
