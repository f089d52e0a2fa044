/**
 * What the registry checks before it stores a manifest, and what it tells browsers about trust: a package's
 * object must not need permissions its label does not declare ({@link io.bpfstore.registry.trust.PushChecks}),
 * and in a namespace that requires signatures every manifest must carry a cosign signature by a key its
 * publisher registered ({@link io.bpfstore.registry.trust.PackageSignatures}).
 *
 * <p>Traps: a signature must exist before the manifest it signs is pushed (the client signs the digest it is
 * about to push, then pushes), so a signature manifest ({@code sha256-<hex>.sig}) is verified on its own push
 * against the digest its tag names. The verification is the store's ({@link io.bpfstore.store.signing.Verifier}),
 * byte for byte what pullers run. Blobs are read with size limits: the pusher controls them.
 */
package io.bpfstore.registry.trust;
