/**
 * The OCI distribution API v1.1 under {@code /v2/}: blobs (with ranges), uploads (monolithic, chunked,
 * cross-repository mount), manifests by tag and digest (validated: every referenced blob or manifest must be
 * in the repository), tags, the catalog and OCI 1.1 referrers. Errors use the spec's JSON envelope and codes.
 *
 * <p>Traps: repository names arrive percent-encoded in the path and are validated against the spec's grammar
 * before anything else (so {@code ..} or {@code %2F} can never reach storage); manifest bytes are stored
 * exactly as pushed because clients verify the digest over them; a manifest PUT under a tag also indexes the
 * package in the same transaction (see {@code io.bpfstore.registry.packages}).
 */
package io.bpfstore.registry.oci;
