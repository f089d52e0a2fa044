/**
 * Making a package: compiling C with clang when needed ({@link io.bpfstore.store.build.CCompiler}), the metadata
 * derived from the object ({@link io.bpfstore.store.build.PackageMetadata}), the deterministic layer
 * ({@link io.bpfstore.store.build.LayerTar}) and the OCI image ({@link io.bpfstore.store.build.PackageBuilder}),
 * and the publish check: an object needing permissions its manifest does not declare is refused
 * ({@link io.bpfstore.store.build.UndeclaredPermissionsException}), at build time and again on a built image
 * ({@link io.bpfstore.store.build.PackageContents}, what push, the registry and the host policy read).
 *
 * <p>Traps: the same inputs must give the same digests, so nothing time- or host-dependent goes into the bytes:
 * tar entries have mtime 0 and uid/gid 0, the gzip header has no name or mtime, JSON is compact with a fixed key
 * order, and no {@code created} annotation is written.
 */
package io.bpfstore.store.build;
