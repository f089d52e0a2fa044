package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.KernelObject;
import io.bpfstore.kernel.LinkInfo;
import io.bpfstore.kernel.ObjectIds;
import io.bpfstore.kernel.Pins;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.LinkDetachAttr;
import io.bpfstore.kernel.sys.LinkUpdateAttr;
import io.bpfstore.kernel.sys.SyscallException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * A link (the kernel's {@code struct bpf_link}): an attachment of a program to a hook, held by a file
 * descriptor (BPF_LINK_CREATE, BPF_RAW_TRACEPOINT_OPEN). Closing the last reference (fd or pin) detaches the
 * program; {@link #pin} lets it outlive this process, {@link #update} gives it another program atomically and
 * {@link #detach} detaches the program while the fd stays open.
 */
public final class BpfLink extends KernelObject implements Attachment {
    private static final int BPF_F_REPLACE = 4;

    private final String description;

    private BpfLink(Fd fd, int id, String description) {
        super(fd, id);
        this.description = description;
    }

    /**
     * Creates a link with BPF_LINK_CREATE for the hooks that need only a target and an attach type
     * (cgroup: target is a cgroup directory fd; xdp, tcx, netkit: target is an ifindex). The hook entry
     * points of this package ({@link Xdp}, {@link Tcx}, {@link CgroupAttach} ...) check options and explain
     * refusals in the hook's terms; this is the bare call.
     *
     * @param program    the program to attach
     * @param target     the target fd or ifindex, as the attach type requires
     * @param attachType the hook
     * @param flags      link_create flags
     * @throws BpfException if the kernel refuses (e.g. EBUSY when the hook is taken)
     */
    public static BpfLink create(BpfProgram program, int target, AttachType attachType, int flags) {
        String what = program.describe() + " as " + attachType.libbpfName() + " on target " + target;
        LinkCreation.Result result = LinkCreation.create(program, target, attachType, flags, attr -> { }, what);
        if (result.link() == null) {
            throw new BpfException("attach " + what, result.errno(), null, "");
        }
        return result.link();
    }

    /** Opens the link with this id. */
    public static BpfLink fromId(int id) {
        return adopt(ObjectIds.LINK.require(id), "");
    }

    /** Opens the link pinned at {@code path}. */
    public static BpfLink openPinned(Path path) {
        return adopt(Pins.open(path, "link"), "link pinned at " + path);
    }

    /**
     * Takes ownership of a link fd that bpf(2) just returned. Closes {@code fd} if its info cannot be read.
     *
     * @param description what is attached where, for messages (empty: just the link id)
     */
    static BpfLink adopt(Fd fd, String description) {
        String what = description.isEmpty() ? "link" : description;
        return fd.adopt(f -> new BpfLink(f, LinkInfo.read(f, what).id(), description));
    }

    /** The kernel's current info about the link (program, hook, target). */
    public LinkInfo info() {
        return LinkInfo.read(fd(), describe());
    }

    /** Atomically replaces the attached program (BPF_LINK_UPDATE); packets never see the hook empty. */
    public void update(BpfProgram replacement) {
        try (Arena arena = Arena.ofConfined()) {
            LinkUpdateAttr attr = new LinkUpdateAttr(arena).linkFd(fd().value()).newProgFd(replacement.fd().value());
            BpfSyscall.call(BpfCommand.LINK_UPDATE, attr.segment());
        } catch (SyscallException e) {
            throw BpfException.of("replace the program of " + describe() + " with " + replacement.describe(), e);
        }
    }

    /** Replaces {@code expected} with {@code replacement}, refused (EPERM) if another program is attached now. */
    public void update(BpfProgram expected, BpfProgram replacement) {
        try (Arena arena = Arena.ofConfined()) {
            LinkUpdateAttr attr = new LinkUpdateAttr(arena).linkFd(fd().value()).newProgFd(replacement.fd().value())
                    .flags(BPF_F_REPLACE).oldProgFd(expected.fd().value());
            BpfSyscall.call(BpfCommand.LINK_UPDATE, attr.segment());
        } catch (SyscallException e) {
            throw BpfException.of("replace " + expected.describe() + " in " + describe() + " with "
                    + replacement.describe(), e);
        }
    }

    /** Detaches the program now, even if the link is pinned; the link stays open but defunct. */
    public void detach() {
        try (Arena arena = Arena.ofConfined()) {
            BpfSyscall.call(BpfCommand.LINK_DETACH, new LinkDetachAttr(arena).linkFd(fd().value()).segment());
        } catch (SyscallException e) {
            throw BpfException.of("detach " + describe(), e);
        }
    }

    @Override
    public String describe() {
        return description.isEmpty() ? "link " + id() : description + " (link " + id() + ")";
    }
}
