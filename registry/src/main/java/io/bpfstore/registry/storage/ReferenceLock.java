package io.bpfstore.registry.storage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Orders manifest pushes against blob garbage collection. A push checks that the blobs its manifest names
 * exist and then stores the manifest; a collection decides which blobs no manifest names and deletes them. Were
 * the two to interleave, a manifest could end up naming a deleted blob. Pushes share the lock, so they never
 * wait for each other; a collection takes it exclusively for its mark and sweep.
 *
 * <p>Where several instances share one store, the store adds a lock across them (a database lock): the local
 * lock is taken first, then the shared one, and released in the opposite order.
 */
public final class ReferenceLock {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Supplier<AcrossNodes> pushAcrossNodes;
    private final Supplier<AcrossNodes> collectionAcrossNodes;

    /** One hold of a lock across instances (a database lock), taken after and released before the local one. */
    public interface AcrossNodes {
        /** Blocks until held. */
        void acquire();

        /** Releases it; never fails (a lock that cannot be released is dropped with its connection). */
        void release();
    }

    /** A lock for one instance (the embedded store). */
    public ReferenceLock() {
        this(null, null);
    }

    /**
     * A lock that also holds across instances.
     *
     * @param pushAcrossNodes       a fresh shared lock across instances per push
     * @param collectionAcrossNodes a fresh exclusive lock across instances per collection
     */
    public ReferenceLock(Supplier<AcrossNodes> pushAcrossNodes, Supplier<AcrossNodes> collectionAcrossNodes) {
        this.pushAcrossNodes = pushAcrossNodes;
        this.collectionAcrossNodes = collectionAcrossNodes;
    }

    /** Held while a manifest's references are checked and the manifest stored. */
    public Lock push() {
        return pushAcrossNodes == null ? lock.readLock() : new Both(lock.readLock(), pushAcrossNodes.get());
    }

    /** Held while a collection marks referenced blobs and deletes the rest. */
    public Lock collection() {
        return collectionAcrossNodes == null ? lock.writeLock()
                : new Both(lock.writeLock(), collectionAcrossNodes.get());
    }

    /** The local lock, then the one across instances; only {@code lock} and {@code unlock} are used. */
    private record Both(Lock local, AcrossNodes across) implements Lock {
        @Override
        public void lock() {
            local.lock();
            try {
                across.acquire();
            } catch (RuntimeException | Error e) {
                local.unlock();
                throw e;
            }
        }

        @Override
        public void unlock() {
            try {
                across.release();
            } finally {
                local.unlock();
            }
        }

        @Override
        public void lockInterruptibly() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean tryLock() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException();
        }
    }
}
