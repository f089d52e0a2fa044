/**
 * Storage contracts of the registry: {@link io.bpfstore.registry.storage.BlobStore} (content-addressed bytes)
 * and {@link io.bpfstore.registry.storage.MetadataStore} (everything else: manifests, tags, upload sessions,
 * accounts, the package index). Implementations must keep no state in the JVM that another registry node would
 * need, so that several stateless nodes can share one PostgreSQL database and one object store.
 *
 * <p>Traps: a blob becomes visible only after its digest and size were verified (never a torn blob); the
 * offset of an upload session is authoritative in the metadata store, not in the staged bytes, so a chunk that a
 * crash cut short is simply overwritten by the next one.
 */
package io.bpfstore.registry.storage;
