/**
 * The registry <em>client</em> (the server is the {@code registry} module, {@code io.bpfstore.registry}). Talking
 * to a registry: the OCI distribution client ({@link io.bpfstore.store.client.RegistryClient}: push
 * with blob existence checks, cross-repository mounts, monolithic and chunked uploads; pull with every digest
 * verified), the store API client ({@link io.bpfstore.store.client.StoreClient}: search, show, yank), and the
 * Docker/OCI bearer-token flow they share ({@link io.bpfstore.store.client.Authenticator}).
 *
 * <p>Traps: never trust the server. Manifests and blobs are hashed while they stream and checked against the
 * digest that named them; downloads go to a temporary directory and are moved into place only once all of them
 * are verified. Upload {@code Location} headers may be relative and may already carry a query string.
 */
package io.bpfstore.store.client;
