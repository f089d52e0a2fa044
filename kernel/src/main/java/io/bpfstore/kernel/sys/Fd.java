package io.bpfstore.kernel.sys;

import java.util.function.Function;

/**
 * An owned file descriptor returned by bpf(2). Closing it drops this process's reference to the kernel
 * object; the object itself lives on while anything else (a pin, a link, another fd, an attachment) holds
 * it. Closing twice is harmless; using a closed descriptor throws instead of touching a reused number.
 */
public final class Fd implements AutoCloseable {
    private int fd;

    /** Takes ownership of {@code fd}. */
    public Fd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        this.fd = fd;
    }

    /** Takes ownership of the fd returned by a successful {@link BpfSyscall#call}. */
    public static Fd of(long syscallResult) {
        if (syscallResult < 0 || syscallResult > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not a file descriptor: " + syscallResult);
        }
        return new Fd((int) syscallResult);
    }

    /**
     * Hands this descriptor to {@code owner} (typically a handle's constructor that reads the object's info
     * first); if that fails, closes the descriptor so that it does not leak, and rethrows.
     */
    public <T> T adopt(Function<Fd, T> owner) {
        try {
            return owner.apply(this);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The descriptor number, for placing into attributes. */
    public synchronized int value() {
        if (fd < 0) {
            throw new IllegalStateException("file descriptor already closed");
        }
        return fd;
    }

    /** Whether {@link #close} has run. */
    public synchronized boolean isClosed() {
        return fd < 0;
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            BpfSyscall.close(fd);
            fd = -1;
        }
    }

    @Override
    public synchronized String toString() {
        return fd < 0 ? "fd(closed)" : "fd(" + fd + ")";
    }
}
