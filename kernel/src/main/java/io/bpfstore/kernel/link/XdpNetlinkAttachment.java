package io.bpfstore.kernel.link;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.netlink.InterfaceDump;
import io.bpfstore.kernel.sys.Errno;
import java.util.Optional;

/**
 * An XDP program attached with the legacy netlink call. The kernel keeps it attached until it is detached,
 * even after this process ends; {@link #close} detaches it, but only if it is still the program this
 * handle attached (XDP_FLAGS_REPLACE with the expected fd), so it never removes a successor. The handle
 * holds its own reference to the program for that.
 */
public final class XdpNetlinkAttachment extends DetachingAttachment {
    private final BpfProgram program;
    private final InterfaceDump.Interface device;
    private final XdpMode mode;
    private final Netns netns;

    XdpNetlinkAttachment(BpfProgram program, InterfaceDump.Interface device, XdpMode mode, Netns netns, String description) {
        super(description);
        this.program = program;
        this.device = device;
        this.mode = mode;
        this.netns = netns;
    }

    /** The mode the program runs in (never AUTO). */
    public XdpMode mode() {
        return mode;
    }

    /** The interface index in its namespace. */
    public int ifindex() {
        return device.ifindex();
    }

    @Override
    public String describe() {
        return super.describe() + " (netlink, " + mode.name().toLowerCase() + ")";
    }

    @Override
    void detach() {
        String what = "detach " + describe();
        netns.run(() -> {
            try {
                Xdp.setXdp(device.ifindex(), -1, mode.flag() | Xdp.XDP_FLAGS_REPLACE, Optional.of(program.fd().value()), what);
            } catch (BpfException e) {
                if (!Errno.isAny(e.errnoNumber(), Errno.ENODEV, Errno.EEXIST)) { // ENODEV: interface gone; EEXIST: replaced since
                    throw e;
                }
            }
            return null;
        });
        program.close();
    }
}
