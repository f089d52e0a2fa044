package io.bpfstore.kernel.link;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Libc;

/**
 * A socket filter attached by {@link SocketFilter}. {@link #close} detaches it (SocketFilter.SO_DETACH_BPF) unless the
 * socket is closed already (which removed the filter with it).
 */
public final class SocketFilterAttachment implements Attachment {
    private final int socketFd;
    private final String description;
    private boolean closed;

    SocketFilterAttachment(int socketFd, String description) {
        this.socketFd = socketFd;
        this.description = description;
    }

    /** The socket's descriptor. */
    public int socketFd() {
        return socketFd;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        int result = Libc.setsockopt(socketFd, SocketFilter.SOL_SOCKET, SocketFilter.SO_DETACH_BPF, 0);
        if (result < 0 && !Errno.isAny(-result, Errno.EBADF, Errno.ENOENT)) {
            throw new BpfException("detach " + description, -result, null, "");
        }
        closed = true;
    }
}
