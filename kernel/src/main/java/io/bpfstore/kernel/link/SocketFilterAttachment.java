package io.bpfstore.kernel.link;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Libc;

/**
 * A socket filter attached by {@link SocketFilter}. {@link #close} detaches it (SocketFilter.SO_DETACH_BPF) unless the
 * socket is closed already (which removed the filter with it).
 */
public final class SocketFilterAttachment extends DetachingAttachment {
    private final int socketFd;

    SocketFilterAttachment(int socketFd, String description) {
        super(description);
        this.socketFd = socketFd;
    }

    /** The socket's descriptor. */
    public int socketFd() {
        return socketFd;
    }

    @Override
    void detach() {
        int result = Libc.setsockopt(socketFd, SocketFilter.SOL_SOCKET, SocketFilter.SO_DETACH_BPF, 0);
        if (result < 0 && !Errno.isAny(-result, Errno.EBADF, Errno.ENOENT)) {
            throw new BpfException("detach " + describe(), -result, null, "");
        }
    }
}
