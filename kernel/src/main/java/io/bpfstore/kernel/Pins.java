package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.ObjPinAttr;
import io.bpfstore.kernel.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Pinning objects on a bpffs (normally /sys/fs/bpf) and opening pinned objects. A pin is a file: removing
 * it with {@link #unpin} drops the reference it held.
 */
public final class Pins {
    private Pins() {
    }

    /** Pins {@code fd} at {@code path}; {@code what} names the object for the error message. */
    static void pin(Fd fd, Path path, String what) {
        try (Arena arena = Arena.ofConfined()) {
            ObjPinAttr attr = new ObjPinAttr(arena).pathname(arena.allocateFrom(path.toString())).bpfFd(fd.value());
            BpfSyscall.call(BpfCommand.OBJ_PIN, attr.segment());
        } catch (SyscallException e) {
            throw BpfException.of("pin " + what + " at " + path, e);
        }
    }

    /** Opens the object pinned at {@code path}; {@code kind} names what is expected, for the message. */
    public static Fd open(Path path, String kind) {
        try (Arena arena = Arena.ofConfined()) {
            ObjPinAttr attr = new ObjPinAttr(arena).pathname(arena.allocateFrom(path.toString()));
            return Fd.of(BpfSyscall.call(BpfCommand.OBJ_GET, attr.segment()));
        } catch (SyscallException e) {
            throw BpfException.of("open pinned " + kind + " " + path, e);
        }
    }

    /**
     * Removes a pin. Returns whether there was one.
     *
     * @throws UncheckedIOException if it exists but cannot be removed
     */
    public static boolean unpin(Path path) {
        try {
            Files.delete(path);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("unpin " + path + ": " + e.getMessage(), e);
        }
    }
}
