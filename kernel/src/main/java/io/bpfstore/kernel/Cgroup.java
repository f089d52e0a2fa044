package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.Libc;
import io.bpfstore.kernel.sys.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cgroup v2 directory opened for attaching or querying programs: cgroup hooks take the directory's file
 * descriptor as their target. The cgroup id the kernel reports in link info is the directory's inode number.
 */
public final class Cgroup extends FdHandle {
    private final Path path;
    private final long id;

    private Cgroup(Path path, Fd fd, long id) {
        super(fd);
        this.path = path;
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
        int fd = Libc.open(path.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC | oDirectory);
        if (fd < 0) {
            String name = Errno.of(-fd).map(Enum::name).orElse("errno " + -fd);
            throw new UncheckedIOException(new IOException("open cgroup " + path + ": " + name));
        }
        Fd owned = new Fd(fd);
        try {
            return new Cgroup(path, owned, ((Number) Files.getAttribute(path, "unix:ino")).longValue());
        } catch (IOException e) {
            owned.close();
            throw new UncheckedIOException("read the inode of " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /** The directory. */
    public Path path() {
        return path;
    }

    /** The directory's file descriptor, the target of cgroup attachments. */
    @Override
    public Fd fd() {
        return super.fd();
    }

    /** The cgroup id (the directory's inode number on cgroup v2). */
    public long id() {
        return id;
    }
}
