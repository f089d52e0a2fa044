package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Libc;

/**
 * Attaches socket filter programs to sockets (SO_ATTACH_BPF). The program's return value is how many bytes
 * of each packet the socket receives (0 drops it). The filter lives with the socket: closing the socket
 * removes it, and so does closing the returned handle (SO_DETACH_BPF).
 */
public final class SocketFilter {
    static final int SOL_SOCKET = 1;
    static final int SO_ATTACH_BPF = 50;
    static final int SO_DETACH_BPF = 27;

    private SocketFilter() {
    }

    /**
     * Attaches {@code program} (socket_filter) to the socket with descriptor {@code socketFd}, replacing any
     * filter the socket had. The socket stays owned by the caller.
     *
     * @throws BpfException if the descriptor is no socket or the kernel refuses
     */
    public static SocketFilterAttachment attach(BpfProgram program, int socketFd) {
        String what = "attach " + program.describe() + " to socket fd " + socketFd;
        ProgramCheck.require(program, what, ProgramType.SOCKET_FILTER);
        int result = Libc.setsockopt(socketFd, SOL_SOCKET, SO_ATTACH_BPF,
                program.fd().value());
        if (result < 0) {
            String explanation = switch (Errno.orNull((int) -result)) {
                case EBADF -> "fd " + socketFd + " is not open";
                case ENOTSOCK -> "fd " + socketFd + " is not a socket";
                case EINVAL -> "the socket refused the program";
                case null, default -> null;
            };
            throw new BpfException(what, -result, explanation, "");
        }
        return new SocketFilterAttachment(socketFd, program.describe() + " on socket fd " + socketFd);
    }
}
