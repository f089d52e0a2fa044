package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The bpf(2) system call, reached through libc's {@code syscall(2)} with the Foreign Function &amp; Memory
 * API, and {@code close(2)} for the descriptors it returns. errno is captured by the linker right after
 * the call (reading it later would see whatever the JVM did in between).
 */
public final class BpfSyscall {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** Platform and handles are resolved on first use so that merely loading classes never fails. */
    private static final class Handles {
        static final Platform PLATFORM = Platform.current();
        // long syscall(long number, ...): the three bpf arguments are variadic, passed as longs.
        static final MethodHandle SYSCALL = LINKER.downcallHandle(
                LINKER.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        static final MethodHandle CLOSE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
    }

    private BpfSyscall() {
    }

    /** The platform the calls go to; throws {@link UnsupportedPlatformException} on an unknown one. */
    public static Platform platform() {
        return Handles.PLATFORM;
    }

    /**
     * Issues {@code bpf(command, attr, attr.byteSize())}, retrying on EINTR as libbpf does for loads.
     *
     * @return the non-negative result (a new fd for commands that create or open objects)
     * @throws SyscallException with the errno when the kernel refuses
     */
    public static long call(BpfCommand command, MemorySegment attr) {
        long result = invoke(command, attr);
        if (result < 0) {
            throw new SyscallException(command, (int) -result);
        }
        return result;
    }

    /** Like {@link #call} but returns {@code -errno} instead of throwing; for probes that expect failures. */
    public static long invoke(BpfCommand command, MemorySegment attr) {
        try (Arena arena = Arena.ofConfined()) {
            return invoke(command, attr, callState(arena));
        }
    }

    /**
     * Memory for the errno the linker captures after a call, for {@link #invoke(BpfCommand, MemorySegment, MemorySegment)}
     * and {@link #close(int, MemorySegment)}: a caller that makes many calls in a row (a metrics scrape) keeps one
     * instead of allocating one per call.
     */
    public static MemorySegment callState(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** Like {@link #invoke(BpfCommand, MemorySegment)}, with errno captured into {@code state} ({@link #callState}). */
    public static long invoke(BpfCommand command, MemorySegment attr, MemorySegment state) {
        try {
            while (true) {
                long result = (long) Handles.SYSCALL.invokeExact(state, Handles.PLATFORM.bpfSyscallNumber(),
                        (long) command.number(), attr, attr.byteSize());
                if (result >= 0) {
                    return result;
                }
                int errno = (int) ERRNO.get(state, 0L);
                if (!Errno.EINTR.is(errno)) {
                    return -errno;
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("bpf(2) downcall failed", t);
        }
    }

    /** Closes a file descriptor; errors are returned as {@code -errno} (callers have nothing to do about them). */
    static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            return close(fd, callState(arena));
        }
    }

    /**
     * Closes a descriptor that no {@link Fd} owns, with errno captured into {@code state} ({@link #callState});
     * returns 0 or {@code -errno}.
     */
    public static int close(int fd, MemorySegment state) {
        try {
            int result = (int) Handles.CLOSE.invokeExact(state, fd);
            return result < 0 ? -(int) ERRNO.get(state, 0L) : result;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("close(2) downcall failed", t);
        }
    }
}
