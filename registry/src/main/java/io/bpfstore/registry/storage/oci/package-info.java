/**
 * A {@link io.bpfstore.registry.storage.BlobStore} in an OCI distribution registry (distribution, Harbor, a cloud
 * registry): blobs live in one repository of it, staged uploads are its upload sessions, and every byte read back
 * is checked against its digest.
 */
package io.bpfstore.registry.storage.oci;
