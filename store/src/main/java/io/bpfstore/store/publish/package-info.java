/**
 * Publishing a package: {@link io.bpfstore.store.publish.PackagePublisher} reads a package layout, checks it again
 * (digests, declared permissions, a strict semver version), signs its manifest if asked and pushes it, in that
 * order, for {@code bpfstore push}.
 *
 * <p>Trap: the signature is pushed before the manifest it covers, because a namespace that requires signatures
 * refuses a manifest whose signature is not there yet.
 */
package io.bpfstore.store.publish;
