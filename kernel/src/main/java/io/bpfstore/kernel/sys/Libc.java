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
 * The libc calls the kernel layer needs besides bpf(2): opening files as descriptors (cgroups, namespace
 * files), netlink sockets and socket options, and switching a thread's network namespace. Each returns the result or
 * {@code -errno}, never throws for a kernel refusal; callers add what they were doing.
 */
public final class Libc {
    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_CLOEXEC} (the same on x86_64 and aarch64). */
    public static final int O_CLOEXEC = 0x80000;
    /** {@code CLONE_NEWNET}, the network namespace type for setns. */
    public static final int CLONE_NEWNET = 0x40000000;
    /** {@code AF_NETLINK}. */
    public static final int AF_NETLINK = 16;
    /** {@code SOCK_RAW}. */
    public static final int SOCK_RAW = 3;
    /** {@code SOCK_CLOEXEC}. */
    public static final int SOCK_CLOEXEC = 0x80000;
    /** {@code NETLINK_ROUTE}. */
    public static final int NETLINK_ROUTE = 0;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDTO = handle("sendto", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETNS = handle("setns", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Libc() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        System.arraycopy(extra, 0, options, 0, extra.length);
        options[extra.length] = Linker.Option.captureCallState("errno");
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, options);
    }

    /** {@code open(path, flags)}: the new fd or {@code -errno}. */
    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags);
            return fd < 0 ? -(int) ERRNO.get(state, 0L) : fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code socket(domain, type, protocol)}: the new fd or {@code -errno}. */
    public static int socket(int domain, int type, int protocol) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(state, domain, type, protocol);
            return fd < 0 ? -(int) ERRNO.get(state, 0L) : fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code sendto(fd, buffer, buffer.size, 0, address, address.size)}: bytes sent or {@code -errno}. */
    public static long sendto(int fd, MemorySegment buffer, MemorySegment address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long sent = (long) SENDTO.invokeExact(state, fd, buffer, buffer.byteSize(), 0, address, (int) address.byteSize());
            return sent < 0 ? -(int) ERRNO.get(state, 0L) : sent;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code recv(fd, buffer, buffer.size, 0)}: bytes received or {@code -errno}. */
    public static long recv(int fd, MemorySegment buffer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long received = (long) RECV.invokeExact(state, fd, buffer, buffer.byteSize(), 0);
            return received < 0 ? -(int) ERRNO.get(state, 0L) : received;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code setsockopt(fd, level, name, &value, sizeof(int))} with an int value: 0 or {@code -errno}. */
    public static int setsockopt(int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int result = (int) SETSOCKOPT.invokeExact(state, fd, level, name,
                    arena.allocateFrom(ValueLayout.JAVA_INT, value), 4);
            return result < 0 ? -(int) ERRNO.get(state, 0L) : result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code setns(fd, nstype)} for the calling thread: 0 or {@code -errno}. */
    public static int setns(int fd, int nstype) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int result = (int) SETNS.invokeExact(state, fd, nstype);
            return result < 0 ? -(int) ERRNO.get(state, 0L) : result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("libc downcall failed", t);
    }
}
