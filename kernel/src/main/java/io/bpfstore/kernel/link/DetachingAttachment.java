package io.bpfstore.kernel.link;

/**
 * An attachment without a link (netlink XDP, a tc filter, BPF_PROG_ATTACH, a socket option): the kernel keeps the
 * program attached until someone removes it, so closing the handle detaches it explicitly, once. A refused detach
 * throws and leaves the handle open, so that closing can be tried again.
 */
abstract sealed class DetachingAttachment implements Attachment
        permits XdpNetlinkAttachment, TcFilterAttachment, CgroupProgramAttachment, SocketFilterAttachment {
    private final String description;
    private boolean detached;

    DetachingAttachment(String description) {
        this.description = description;
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * Removes the program from its hook (tolerating a hook or device that is gone already) and releases what the
     * handle holds.
     *
     * @throws io.bpfstore.kernel.BpfException if the kernel refuses; the handle then stays open
     */
    abstract void detach();

    @Override
    public final synchronized void close() {
        if (!detached) {
            detach();
            detached = true;
        }
    }
}
