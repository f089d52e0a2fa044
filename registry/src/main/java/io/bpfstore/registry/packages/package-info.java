/**
 * What makes an OCI image a bpfstore package: the config labels of the package contract
 * ({@code io.bpfstore.package}, {@code io.ebpf.programs}, {@code io.ebpf.maps}), the semantic version of its tag,
 * and the release record the registry indexes.
 *
 * <p>Trap: an image without the {@code io.bpfstore.package} label, or pushed under a tag that is not a semantic
 * version (e.g. {@code latest}), is a valid image and is stored, just not indexed; a package label that is
 * present but malformed or names another repository is an error, so a broken package never half-appears.
 */
package io.bpfstore.registry.packages;
