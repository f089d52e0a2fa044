package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * A bpf object held through a file descriptor: a map, program, link or BTF object, each with the kernel's id.
 * Closing it drops this process's reference; the object lives on while a pin, an attachment or another process
 * holds it. Subclasses add what their kind of object does; fd, id, pinning and closing live here.
 */
public abstract class KernelObject extends FdHandle {
    private final int id;

    /** Takes ownership of {@code fd}, the object with kernel id {@code id}. */
    protected KernelObject(Fd fd, int id) {
        super(fd);
        this.id = id;
    }

    /**
     * Opens the object with kernel id {@code id} through {@code open} (e.g. {@code BpfMap::fromId}), reads it with
     * {@code read} and closes it; empty when the object vanished between listing its id and opening it (ENOENT).
     */
    public static <H extends KernelObject, T> Optional<T> readById(Function<Integer, H> open, int id,
                                                                  Function<H, T> read) {
        H opened;
        try {
            opened = open.apply(id);
        } catch (BpfException e) {
            if (e.errno().filter(Errno.ENOENT::equals).isPresent()) {
                return Optional.empty();
            }
            throw e;
        }
        try (H handle = opened) {
            return Optional.of(read.apply(handle));
        }
    }

    /** The file descriptor; valid until {@link #close}. */
    @Override
    public final Fd fd() {
        return super.fd();
    }

    /** The kernel's id of this object (stable for its lifetime, unlike the fd number). */
    public final int id() {
        return id;
    }

    /**
     * Pins the object at {@code path} on a bpffs so that it outlives this process (a pinned link keeps its
     * program attached until the pin is removed with {@link Pins#unpin}).
     *
     * @throws BpfException if the path is not on a bpffs, already exists or its directory is missing
     */
    public final void pin(Path path) {
        Pins.pin(fd(), path, describe());
    }

    /** A short description for error messages, e.g. {@code map "counts" (id 12)}. */
    public abstract String describe();

    /** Closes the file descriptor. Idempotent; never throws. */
    @Override
    public final void close() {
        super.close();
    }
}
