package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cgroup v2 directory opened for attaching or querying programs: cgroup hooks take the directory's file
 * descriptor as their target. The cgroup id the kernel reports in link info is the directory's inode number.
 */
public final class Cgroup implements AutoCloseable {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN;

    static {
        Linker linker = Linker.nativeLinker();
        OPEN = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
    }

    private final Path path;
    private final Fd fd;
    private final long id;

    private Cgroup(Path path, Fd fd, long id) {
        this.path = path;
        this.fd = fd;
        this.id = id;
    }

    /**
     * Opens a cgroup v2 directory.
     *
     * @throws UncheckedIOException if it cannot be opened
     */
    public static Cgroup open(Path path) {
        // O_DIRECTORY differs between architectures (asm/fcntl.h).
        int oDirectory = BpfSyscall.platform() == Platform.AARCH64 ? 0x4000 : 0x10000;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), O_RDONLY | O_CLOEXEC | oDirectory);
            if (fd < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                String name = Errno.of(errno).map(Enum::name).orElse("errno " + errno);
                throw new UncheckedIOException(new IOException("open cgroup " + path + ": " + name));
            }
            Fd owned = new Fd(fd);
            try {
                return new Cgroup(path, owned, ((Number) Files.getAttribute(path, "unix:ino")).longValue());
            } catch (IOException | RuntimeException e) {
                owned.close();
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("open(2) downcall failed", t);
        }
    }

    /** The directory. */
    public Path path() {
        return path;
    }

    /** The directory's file descriptor, the target of cgroup attachments. */
    public Fd fd() {
        return fd;
    }

    /** The cgroup id (the directory's inode number on cgroup v2). */
    public long id() {
        return id;
    }

    @Override
    public void close() {
        fd.close();
    }
}
