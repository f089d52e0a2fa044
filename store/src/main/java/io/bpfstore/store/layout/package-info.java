/**
 * OCI image layouts on disk ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}): writing a
 * package's image and reading one back with every digest and size verified.
 *
 * <p>Traps: a layout is written to a temporary sibling directory and moved into place, so a failure never leaves
 * a half-written layout under the requested name. Reading trusts nothing: blob paths come from validated
 * digests (no path traversal), sizes are checked before reading, and content is hashed.
 */
package io.bpfstore.store.layout;
