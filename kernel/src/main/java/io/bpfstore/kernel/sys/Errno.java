package io.bpfstore.kernel.sys;

import java.util.Optional;

/**
 * The errno values bpf(2) returns, with what each means when the bpf subsystem returns it (the kernel's
 * meaning, not the generic libc text: EACCES from a program load is the verifier, not a file permission).
 */
public enum Errno {
    /** Operation not permitted. */
    EPERM(1, "not permitted: needs CAP_BPF/CAP_SYS_ADMIN (or CAP_PERFMON/CAP_NET_ADMIN for some types), or the kernel's lockdown or a security module forbids it"),
    /** No such file or directory. */
    ENOENT(2, "no such object: the key, id or pinned path does not exist"),
    /** No such process. */
    ESRCH(3, "no such process or element"),
    /** Interrupted system call. */
    EINTR(4, "interrupted by a signal"),
    /** I/O error. */
    EIO(5, "I/O error"),
    /** No such device or address. */
    ENXIO(6, "no such device or address"),
    /** Argument list too long. */
    E2BIG(7, "too big: the program, map, log or attribute exceeds a kernel limit, or the attribute has non-zero bytes this kernel does not know"),
    /** Bad file descriptor. */
    EBADF(9, "bad file descriptor: an fd passed in is closed or of the wrong kind"),
    /** Try again. */
    EAGAIN(11, "try again: a transient condition (for loads: the verifier ran out of time or memory)"),
    /** Out of memory. */
    ENOMEM(12, "out of memory (or the locked-memory limit of an older kernel)"),
    /** Permission denied. */
    EACCES(13, "permission denied: the verifier rejected it, or the object is read-only"),
    /** Bad address. */
    EFAULT(14, "bad address: a pointer in the attribute points to unreadable memory"),
    /** Device or resource busy. */
    EBUSY(16, "busy: the hook or map is already in use"),
    /** File exists. */
    EEXIST(17, "already exists: the key, pin path or attachment is taken"),
    /** Cross-device link. */
    EXDEV(18, "cross-device: the objects belong to different namespaces or devices"),
    /** No such device. */
    ENODEV(19, "no such device: the interface does not exist or does not support this"),
    /** Not a directory. */
    ENOTDIR(20, "not a directory"),
    /** Invalid argument. */
    EINVAL(22, "invalid argument: a field, flag or combination this kernel does not accept"),
    /** Too many open files in the system. */
    ENFILE(23, "too many open files in the system"),
    /** Too many open files. */
    EMFILE(24, "too many open files in this process"),
    /** Text file busy. */
    ETXTBSY(26, "text file busy"),
    /** No space left on device. */
    ENOSPC(28, "no space: the map is full, or the log buffer is too small"),
    /** Read-only file system. */
    EROFS(30, "read-only file system"),
    /** Math result not representable. */
    ERANGE(34, "out of range"),
    /** Resource deadlock would occur. */
    EDEADLK(35, "deadlock would occur"),
    /** File name too long. */
    ENAMETOOLONG(36, "name too long"),
    /** Function not implemented. */
    ENOSYS(38, "not implemented: this kernel has no bpf(2) or not this command"),
    /** Directory not empty. */
    ENOTEMPTY(39, "directory not empty"),
    /** Too many symbolic links. */
    ELOOP(40, "too many symbolic links, or a loop in the object graph"),
    /** No data available. */
    ENODATA(61, "no data available"),
    /** Link has been severed. */
    ENOLINK(67, "the link has been severed (detached)"),
    /** Operation not supported. */
    EOPNOTSUPP(95, "not supported by this kernel, map type or device"),
    /** Socket operation on non-socket. */
    ENOTSOCK(88, "not a socket: the fd passed in is not a socket"),
    /** Address already in use. */
    EADDRINUSE(98, "address already in use"),
    /** Network is down. */
    ENETDOWN(100, "network is down"),
    /** Operation timed out. */
    ETIMEDOUT(110, "timed out"),
    /** Stale file handle. */
    ESTALE(116, "stale: the object changed since it was read (e.g. a tcx chain's revision moved on)"),
    /** Operation already in progress. */
    EALREADY(114, "already in progress"),
    /** Kernel-internal "not supported" that leaks to user space from bpf(2). */
    ENOTSUPP(524, "not supported by this kernel (kernel-internal ENOTSUPP)");

    private final int number;
    private final String meaning;

    Errno(int number, String meaning) {
        this.number = number;
        this.meaning = meaning;
    }

    /** The positive errno value. */
    public int number() {
        return number;
    }

    /** What this errno means when bpf(2) returns it, in words. */
    public String meaning() {
        return meaning;
    }

    /** {@code number} (positive) for a message: its name and meaning ({@code EPERM — not permitted...}), or {@code errno N}. */
    public static String describe(int number) {
        return of(number).map(e -> e.name() + " — " + e.meaning()).orElse("errno " + number);
    }

    /** Whether {@code number} (positive) is this errno. */
    public boolean is(int number) {
        return this.number == number;
    }

    /** Whether {@code number} (positive) is any of {@code errnos}. */
    public static boolean isAny(int number, Errno... errnos) {
        for (Errno e : errnos) {
            if (e.number == number) {
                return true;
            }
        }
        return false;
    }

    /** The constant for {@code number}, or null if it is not one we name (for {@code switch} with {@code case null}). */
    public static Errno orNull(int number) {
        return of(number).orElse(null);
    }

    /** The constant for {@code number}, if it is one we name. */
    public static Optional<Errno> of(int number) {
        for (Errno errno : values()) {
            if (errno.number == number) {
                return Optional.of(errno);
            }
        }
        return Optional.empty();
    }
}
