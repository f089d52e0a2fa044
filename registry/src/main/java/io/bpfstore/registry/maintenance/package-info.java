/**
 * Upkeep of a running registry's storage: expiring abandoned uploads and collecting blobs that no manifest
 * references any more (after manifest deletes, or uploads whose manifest never came).
 *
 * <p>Traps: a blob uploaded a moment ago is unreferenced until its manifest arrives, so only blobs older than a
 * grace period are collected; and a push that checks its blobs exist must not interleave with a sweep, which the
 * shared {@link io.bpfstore.registry.storage.ReferenceLock} prevents.
 */
package io.bpfstore.registry.maintenance;
