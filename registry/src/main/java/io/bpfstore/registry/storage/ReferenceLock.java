package io.bpfstore.registry.storage;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Orders manifest pushes against blob garbage collection. A push checks that the blobs its manifest names
 * exist and then stores the manifest; a collection decides which blobs no manifest names and deletes them. Were
 * the two to interleave, a manifest could end up naming a deleted blob. Pushes share the lock, so they never
 * wait for each other; a collection takes it exclusively for its mark and sweep.
 */
public final class ReferenceLock {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Held while a manifest's references are checked and the manifest stored. */
    public Lock push() {
        return lock.readLock();
    }

    /** Held while a collection marks referenced blobs and deletes the rest. */
    public Lock collection() {
        return lock.writeLock();
    }
}
