package io.bpfstore.kernel.link;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.netlink.RouteSocket;
import io.bpfstore.kernel.netlink.Rtnetlink;
import io.bpfstore.kernel.netlink.TcFilterDump;
import io.bpfstore.kernel.sys.Errno;

/**
 * A legacy tc bpf filter added by {@link TcLegacy}. The kernel keeps it until it is deleted, even after
 * this process ends; {@link #close} deletes it, and the clsact qdisc too if {@link TcLegacy} created that
 * qdisc and no bpf filter is left on it (filters of other kinds that someone added to that qdisc meanwhile
 * go with it).
 */
public final class TcFilterAttachment extends DetachingAttachment {
    private final int ifindex;
    private final int parent;
    private final int priority;
    private final int handle;
    private final boolean createdQdisc;
    private final Netns netns;

    TcFilterAttachment(int ifindex, int parent, int priority, int handle, boolean createdQdisc, Netns netns,
                       String description) {
        super(description);
        this.ifindex = ifindex;
        this.parent = parent;
        this.priority = priority;
        this.handle = handle;
        this.createdQdisc = createdQdisc;
        this.netns = netns;
    }

    /** The filter priority (chosen by the kernel when the options said 0). */
    public int priority() {
        return priority;
    }

    /** The filter handle (chosen by the kernel when the options said 0). */
    public int handle() {
        return handle;
    }

    /** Whether attaching created the clsact qdisc. */
    public boolean createdQdisc() {
        return createdQdisc;
    }

    @Override
    void detach() {
        String what = "delete " + describe();
        netns.run(() -> {
            try (RouteSocket socket = RouteSocket.open()) {
                byte[] body = TcLegacy.filter(ifindex, handle, parent, priority).bytes();
                try {
                    socket.request(Rtnetlink.RTM_DELTFILTER, 0, body, what);
                } catch (BpfException e) {
                    int errno = e.errnoNumber();
                    if (!Errno.isAny(errno, Errno.ENOENT, Errno.ENODEV, Errno.EINVAL)) { // already gone with its qdisc or device
                        throw e;
                    }
                }
                if (createdQdisc && TcFilterDump.read(ifindex, "ifindex " + ifindex).isEmpty()) {
                    try {
                        TcLegacy.deleteClsact(socket, ifindex, what);
                    } catch (BpfException e) {
                        if (!Errno.isAny(e.errnoNumber(), Errno.ENOENT, Errno.ENODEV, Errno.EINVAL)) {
                            throw e;
                        }
                    }
                }
            }
            return null;
        });
    }
}
