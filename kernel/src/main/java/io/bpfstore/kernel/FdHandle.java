package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.Fd;
import java.util.Objects;

/**
 * Something this process holds through one file descriptor: a kernel object ({@link KernelObject}), a cgroup
 * directory, a netlink socket. The handle owns the descriptor: closing the handle closes it, once; closing
 * again does nothing, and using it afterwards throws instead of touching a number the process reused.
 * Handles are closed by try-with-resources, never by a finaliser.
 */
public abstract class FdHandle implements AutoCloseable {
    private final Fd fd;

    /** Takes ownership of {@code fd}. */
    protected FdHandle(Fd fd) {
        this.fd = Objects.requireNonNull(fd, "fd");
    }

    /** The file descriptor; valid until {@link #close}. */
    protected Fd fd() {
        return fd;
    }

    /** Whether {@link #close} has run. */
    public boolean isClosed() {
        return fd.isClosed();
    }

    /** Closes the file descriptor. Idempotent; never throws. */
    @Override
    public void close() {
        fd.close();
    }
}
