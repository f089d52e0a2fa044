package io.bpfstore.install;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive right to change the installations of one state directory: a lock per directory inside this JVM
 * (threads of the agent) and an flock(2) on {@code <state-dir>/lock} between processes (two CLI commands, or a CLI
 * beside the agent). Both are needed: the JVM hands out a file lock per process, so two threads taking it would
 * either share it or fail with {@link java.nio.channels.OverlappingFileLockException}. Waits until free; the
 * kernel drops the flock when the process dies, so a killed command never leaves the directory locked.
 */
final class StateLock implements AutoCloseable {
    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock thread;
    private final FileChannel file;

    private StateLock(ReentrantLock thread, FileChannel file) {
        this.thread = thread;
        this.file = file;
    }

    /**
     * Takes the lock of {@code stateDir}, waiting for other threads and processes to release it.
     *
     * @throws InstallException if this thread already holds it (the installations are already open here), or the
     *                          lock file cannot be created
     */
    static StateLock acquire(Path stateDir) {
        Path lockFile = stateDir.toAbsolutePath().normalize().resolve("lock");
        ReentrantLock thread = IN_PROCESS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        if (thread.isHeldByCurrentThread()) {
            throw new InstallException("the installations of " + stateDir + " are already open in this thread");
        }
        thread.lock();
        FileChannel file = null;
        try {
            file = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            file.lock();
            return new StateLock(thread, file);
        } catch (IOException | RuntimeException e) {
            if (file != null) {
                Installer.closeQuietly(file);
            }
            thread.unlock();
            throw new InstallException("cannot lock the state directory " + stateDir + " (" + lockFile + "): "
                    + e.getMessage(), e);
        }
    }

    /** Releases the flock (closing the file releases it) and then the in-process lock. */
    @Override
    public void close() {
        Installer.closeQuietly(file);
        thread.unlock();
    }
}
