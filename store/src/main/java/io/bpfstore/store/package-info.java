/**
 * Packages: the {@code bpfstore.yaml} manifest, the OCI image that carries one eBPF object (layout on disk,
 * manifest, config labels bpfman reads), digests, and the OCI distribution client used to push and pull.
 */
package io.bpfstore.store;
