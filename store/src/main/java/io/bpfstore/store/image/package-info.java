/**
 * The OCI image model a package is: content digests, descriptors, the image manifest, and an {@link
 * io.bpfstore.store.image.Image} holding the manifest's bytes and its blobs.
 *
 * <p>Traps: a digest names exact bytes. Manifests and configs are kept as the bytes that were hashed and never
 * re-serialised (re-serialising changes key order or whitespace and so the digest). Every blob read from disk or
 * the network is checked against its descriptor's digest and size before it is trusted
 * ({@link io.bpfstore.store.image.DigestMismatchException}).
 */
package io.bpfstore.store.image;
