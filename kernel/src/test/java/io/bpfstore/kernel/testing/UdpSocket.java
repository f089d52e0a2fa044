package io.bpfstore.kernel.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A UDP/IPv4 socket opened through libc, so that tests have its file descriptor number (Java's own
 * sockets hide theirs): socket filters attach to it. Receives without blocking.
 */
public final class UdpSocket implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int MSG_DONTWAIT = 0x40;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final int fd;

    private UdpSocket(int fd) {
        this.fd = fd;
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    /** Opens a socket bound to {@code a.b.c.d:port} in the calling thread's network namespace. */
    public static UdpSocket bind(byte[] address, int port) {
        try {
            return bindOrThrow(address, port);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("socket downcall failed", t);
        }
    }

    private static UdpSocket bindOrThrow(byte[] address, int port) throws Throwable {
        int fd = (int) SOCKET.invokeExact(AF_INET, SOCK_DGRAM, 0);
        if (fd < 0) {
            throw new AssertionError("socket(AF_INET, SOCK_DGRAM) failed");
        }
        try (Arena arena = Arena.ofConfined()) {
            byte[] sockaddr = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putShort((short) AF_INET)
                    .order(ByteOrder.BIG_ENDIAN).putShort((short) port).put(address).array();
            int bound = (int) BIND.invokeExact(fd, arena.allocateFrom(ValueLayout.JAVA_BYTE, sockaddr), 16);
            if (bound < 0) {
                int ignored = (int) CLOSE.invokeExact(fd);
                throw new AssertionError("bind to port " + port + " failed");
            }
        }
        return new UdpSocket(fd);
    }

    /** The descriptor. */
    public int fd() {
        return fd;
    }

    /** How many datagrams are waiting; reads them all. */
    public int drain() {
        int count = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(65536);
            while ((long) RECV.invokeExact(fd, buffer, 65536L, MSG_DONTWAIT) >= 0) {
                count++;
            }
        } catch (Throwable t) {
            throw new IllegalStateException("recv downcall failed", t);
        }
        return count;
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close failed", t);
        }
    }
}
