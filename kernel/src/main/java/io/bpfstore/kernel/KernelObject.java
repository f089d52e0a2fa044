package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.Fd;
import java.nio.file.Path;

/**
 * A kernel object held through a file descriptor: a map, program, link or BTF object. Closing it drops
 * this process's reference; the object lives on while a pin, an attachment or another process holds it.
 */
public interface KernelObject extends AutoCloseable {

    /** The file descriptor; valid until {@link #close}. */
    Fd fd();

    /** The kernel's id of this object (stable for its lifetime, unlike the fd number). */
    int id();

    /**
     * Pins the object at {@code path} on a bpffs so that it outlives this process.
     *
     * @throws BpfException if the path is not on a bpffs, already exists or its directory is missing
     */
    default void pin(Path path) {
        Pins.pin(fd(), path, describe());
    }

    /** A short description for error messages, e.g. {@code map "counts" (id 12)}. */
    String describe();

    /** Closes the file descriptor. Never throws. */
    @Override
    void close();
}
