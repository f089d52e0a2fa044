package io.bpfstore.kernel.link;

import io.bpfstore.kernel.BpfLink;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.LinkInfo;
import java.nio.file.Path;

/**
 * An attachment held by a kernel link (BPF_LINK_CREATE, BPF_RAW_TRACEPOINT_OPEN). The link can be pinned
 * so that it outlives this process, reopened from its pin or id, given another program atomically
 * ({@link #update}) and detached while its fd stays open ({@link #detach}).
 */
public final class KernelLink implements Attachment {
    private final BpfLink link;
    private final String description;

    KernelLink(BpfLink link, String description) {
        this.link = link;
        this.description = description;
    }

    /** Opens the link pinned at {@code path}. */
    public static KernelLink openPinned(Path path) {
        BpfLink link = BpfLink.openPinned(path);
        return new KernelLink(link, link.describe() + " pinned at " + path);
    }

    /** Opens the link with this id. */
    public static KernelLink fromId(int id) {
        BpfLink link = BpfLink.fromId(id);
        return new KernelLink(link, link.describe());
    }

    /** The underlying link object (fd and id). */
    public BpfLink link() {
        return link;
    }

    /** The kernel's id of the link. */
    public int id() {
        return link.id();
    }

    /** The kernel's current info about the link (program, hook, target). */
    public LinkInfo info() {
        return link.info();
    }

    /**
     * Pins the link at {@code path} on a bpffs: the attachment then survives {@link #close} and the end of
     * this process until the pin is removed ({@link io.bpfstore.kernel.Pins#unpin}).
     */
    public void pin(Path path) {
        link.pin(path);
    }

    /** Atomically replaces the attached program (BPF_LINK_UPDATE); packets never see the hook empty. */
    public void update(BpfProgram replacement) {
        link.update(replacement);
    }

    /** Replaces {@code expected} with {@code replacement}, refused (EPERM) if another program is attached now. */
    public void update(BpfProgram expected, BpfProgram replacement) {
        link.update(expected, replacement);
    }

    /** Detaches the program now, even if the link is pinned; the link stays open but defunct. */
    public void detach() {
        link.detach();
    }

    @Override
    public String describe() {
        return description + " (link " + link.id() + ")";
    }

    /** Closes this fd; the program stays attached only while a pin or another fd holds the link. */
    @Override
    public void close() {
        link.close();
    }
}
