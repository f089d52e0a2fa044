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
 * files), netlink sockets and socket options, switching a thread's network namespace, perf_event_open, mapping
 * memory (ring buffers, perf rings) and epoll. Each returns the result or
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
    /** {@code PROT_READ}. */
    public static final int PROT_READ = 1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 2;
    /** {@code MAP_SHARED}. */
    public static final int MAP_SHARED = 1;
    /** {@code EPOLLIN}. */
    public static final int EPOLLIN = 1;
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final long PERF_FLAG_FD_CLOEXEC = 8;

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
    private static final MethodHandle MMAP = handle("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = handle("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle GETPAGESIZE = handle("getpagesize", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle SYSCALL = handle("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle EPOLL_CREATE1 = handle("epoll_create1", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle EPOLL_CTL = handle("epoll_ctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle EPOLL_WAIT = handle("epoll_wait", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

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
        return (int) call((arena, state) -> (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags));
    }

    /** {@code socket(domain, type, protocol)}: the new fd or {@code -errno}. */
    public static int socket(int domain, int type, int protocol) {
        return (int) call((arena, state) -> (int) SOCKET.invokeExact(state, domain, type, protocol));
    }

    /** {@code sendto(fd, buffer, buffer.size, 0, address, address.size)}: bytes sent or {@code -errno}. */
    public static long sendto(int fd, MemorySegment buffer, MemorySegment address) {
        return call((arena, state) -> (long) SENDTO.invokeExact(state, fd, buffer, buffer.byteSize(), 0, address,
                (int) address.byteSize()));
    }

    /** {@code recv(fd, buffer, buffer.size, 0)}: bytes received or {@code -errno}. */
    public static long recv(int fd, MemorySegment buffer) {
        return call((arena, state) -> (long) RECV.invokeExact(state, fd, buffer, buffer.byteSize(), 0));
    }

    /** {@code setsockopt(fd, level, name, &value, sizeof(int))} with an int value: 0 or {@code -errno}. */
    public static int setsockopt(int fd, int level, int name, int value) {
        return (int) call((arena, state) -> (int) SETSOCKOPT.invokeExact(state, fd, level, name,
                arena.allocateFrom(ValueLayout.JAVA_INT, value), 4));
    }

    /** {@code setns(fd, nstype)} for the calling thread: 0 or {@code -errno}. */
    public static int setns(int fd, int nstype) {
        return (int) call((arena, state) -> (int) SETNS.invokeExact(state, fd, nstype));
    }

    /** {@code mmap(NULL, length, prot, MAP_SHARED, fd, offset)}: the address or {@code -errno}. */
    public static long mmapShared(long length, int prot, int fd, long offset) {
        return call((arena, state) -> ((MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, prot,
                MAP_SHARED, fd, offset)).address());
    }

    /** {@code munmap(address, length)}: 0 or {@code -errno}. */
    public static int munmap(long address, long length) {
        return (int) call((arena, state) -> (int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(address), length));
    }

    /** {@code getpagesize()}: the size of a memory page in bytes. */
    public static int pageSize() {
        return (int) call((arena, state) -> (int) GETPAGESIZE.invokeExact(state));
    }

    /**
     * {@code perf_event_open(attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC)} through {@code syscall(2)} (libc has no
     * wrapper): the new fd or {@code -errno}.
     */
    public static int perfEventOpen(PerfEventAttr attr, int pid, int cpu) {
        long number = switch (BpfSyscall.platform()) {
            case X86_64 -> 298;
            case AARCH64 -> 241;
        };
        return (int) call((arena, state) -> (long) SYSCALL.invokeExact(state, number, attr.segment(), (long) pid,
                (long) cpu, -1L, PERF_FLAG_FD_CLOEXEC));
    }

    /** {@code munmap} of a whole mapping; a refusal is ignored (nothing a caller closing it could do). */
    public static void munmap(MemorySegment mapping) {
        int ignored = munmap(mapping.address(), mapping.byteSize());
    }

    /** {@code epoll_create1(EPOLL_CLOEXEC)}: the new fd or {@code -errno}. */
    public static int epollCreate() {
        return (int) call((arena, state) -> (int) EPOLL_CREATE1.invokeExact(state, EPOLL_CLOEXEC));
    }

    /** {@code epoll_ctl(epfd, EPOLL_CTL_ADD, fd, {events, data = fd})}: 0 or {@code -errno}. */
    public static int epollAdd(int epfd, int fd, int events) {
        return (int) call((arena, state) -> {
            MemorySegment event = arena.allocate(16, 8);
            event.set(ValueLayout.JAVA_INT, 0, events);
            event.set(ValueLayout.JAVA_INT, epollDataOffset(), fd);
            return (int) EPOLL_CTL.invokeExact(state, epfd, EPOLL_CTL_ADD, fd, event);
        });
    }

    /**
     * {@code epoll_wait(epfd, events, 64, timeoutMillis)}: how many descriptors are ready (0 on timeout), or
     * {@code -errno} ({@code -EINTR} when a signal came).
     */
    public static int epollWait(int epfd, int timeoutMillis) {
        return (int) call((arena, state) -> (int) EPOLL_WAIT.invokeExact(state, epfd, arena.allocate(16L * 64, 8), 64,
                timeoutMillis));
    }

    /** Where {@code epoll_data} sits in {@code struct epoll_event}: packed on x86_64, 8-aligned elsewhere. */
    private static long epollDataOffset() {
        return BpfSyscall.platform() == Platform.X86_64 ? 4 : 8;
    }

    /** One downcall with errno captured in {@code state}; its allocations live in {@code arena} until it returns. */
    @FunctionalInterface
    private interface Downcall {
        long invoke(Arena arena, MemorySegment state) throws Throwable;
    }

    /** Runs {@code downcall}: its result, or {@code -errno} when the result is negative. */
    private static long call(Downcall downcall) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long result = downcall.invoke(arena, state);
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
