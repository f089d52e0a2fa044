/**
 * The embedded blob store: files under {@code DATA/blobs}. Blobs live at {@code sha256/<2 hex>/<64 hex>};
 * staged bytes under {@code uploads/}. Publication is {@code fsync} then an atomic rename inside one file
 * system, so a reader sees a blob whole or not at all.
 *
 * <p>Trap: upload ids reach this package from URLs; they are validated here again so that no id can name a
 * path outside {@code uploads/}.
 */
package io.bpfstore.registry.storage.files;
