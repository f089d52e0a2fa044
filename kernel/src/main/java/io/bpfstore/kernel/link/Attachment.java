package io.bpfstore.kernel.link;

/**
 * A program attached to a hook. Closing the handle ends this process's hold on the attachment: for a
 * {@link BpfLink} that detaches the program unless the link is pinned (or another fd holds it); for the
 * legacy attachments without a link (netlink XDP, tc filters, BPF_PROG_ATTACH, socket options) it detaches
 * the program explicitly, because the kernel keeps those attached until someone removes them.
 */
public sealed interface Attachment extends AutoCloseable
        permits BpfLink, DetachingAttachment {

    /** What is attached where, for messages, e.g. {@code xdp program "xdp_count" on veth0 (netns bst-1)}. */
    String describe();

    /**
     * Releases the attachment as described above. Idempotent.
     *
     * @throws io.bpfstore.kernel.BpfException if an explicit detach is refused (the program stays attached)
     */
    @Override
    void close();
}
