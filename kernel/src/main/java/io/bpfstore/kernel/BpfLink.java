package io.bpfstore.kernel;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.LinkCreateAttr;
import io.bpfstore.kernel.sys.LinkDetachAttr;
import io.bpfstore.kernel.sys.LinkUpdateAttr;
import io.bpfstore.kernel.sys.SyscallException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * A link: an attachment of a program to a hook, held by a file descriptor. Closing the last reference (fd
 * or pin) detaches the program; {@link #detach()} detaches it while the fd stays open.
 */
public final class BpfLink implements KernelObject {
    private static final int BPF_F_REPLACE = 4;

    private final Fd fd;
    private final int id;

    private BpfLink(Fd fd, int id) {
        this.fd = fd;
        this.id = id;
    }

    /**
     * Creates a link with BPF_LINK_CREATE for the hooks that need only a target and an attach type
     * (cgroup: target is a cgroup directory fd; xdp, tcx, netkit: target is an ifindex). Hook-specific entry
     * points with documented options belong beside this, one per hook.
     *
     * @param program    the program to attach
     * @param target     the target fd or ifindex, as the attach type requires
     * @param attachType the hook
     * @param flags      link_create flags
     * @throws BpfException if the kernel refuses (e.g. EBUSY when the hook is taken)
     */
    public static BpfLink create(BpfProgram program, int target, AttachType attachType, int flags) {
        String what = "attach " + program.describe() + " as " + attachType.libbpfName() + " to target " + target;
        try (Arena arena = Arena.ofConfined()) {
            LinkCreateAttr attr = new LinkCreateAttr(arena).progFd(program.fd().value()).target(target)
                    .attachType(attachType.number()).flags(flags);
            return adopt(Fd.of(BpfSyscall.call(BpfCommand.LINK_CREATE, attr.segment())), what);
        } catch (SyscallException e) {
            throw BpfException.of(what, e);
        }
    }

    /** Opens the link with this id. */
    public static BpfLink fromId(int id) {
        return adopt(ObjectIds.LINK.require(id), "link id " + id);
    }

    /** Opens the link pinned at {@code path}. */
    public static BpfLink openPinned(Path path) {
        return adopt(Pins.open(path, "link"), "link pinned at " + path);
    }

    /**
     * Takes ownership of a link fd that bpf(2) just returned (for hooks whose creation needs attributes
     * {@link #create} does not set: tcx anchors, perf events, raw tracepoints). Closes {@code fd} if its
     * info cannot be read.
     *
     * @param what names the link for the error message
     */
    public static BpfLink adopt(Fd fd, String what) {
        return fd.adopt(f -> new BpfLink(f, LinkInfo.read(f, what).id()));
    }

    @Override
    public Fd fd() {
        return fd;
    }

    @Override
    public int id() {
        return id;
    }

    /** The kernel's current info about the link. */
    public LinkInfo info() {
        return LinkInfo.read(fd, describe());
    }

    /** Atomically replaces the attached program with {@code replacement}. */
    public void update(BpfProgram replacement) {
        try (Arena arena = Arena.ofConfined()) {
            LinkUpdateAttr attr = new LinkUpdateAttr(arena).linkFd(fd.value()).newProgFd(replacement.fd().value());
            BpfSyscall.call(BpfCommand.LINK_UPDATE, attr.segment());
        } catch (SyscallException e) {
            throw BpfException.of("replace the program of " + describe() + " with " + replacement.describe(), e);
        }
    }

    /** Replaces {@code expected} with {@code replacement}, failing (EPERM) if another program is attached now. */
    public void update(BpfProgram expected, BpfProgram replacement) {
        try (Arena arena = Arena.ofConfined()) {
            LinkUpdateAttr attr = new LinkUpdateAttr(arena).linkFd(fd.value()).newProgFd(replacement.fd().value())
                    .flags(BPF_F_REPLACE).oldProgFd(expected.fd().value());
            BpfSyscall.call(BpfCommand.LINK_UPDATE, attr.segment());
        } catch (SyscallException e) {
            throw BpfException.of("replace " + expected.describe() + " in " + describe() + " with "
                    + replacement.describe(), e);
        }
    }

    /** Detaches the program now; the link stays open but defunct (its info shows program id 0 or the old one). */
    public void detach() {
        try (Arena arena = Arena.ofConfined()) {
            BpfSyscall.call(BpfCommand.LINK_DETACH, new LinkDetachAttr(arena).linkFd(fd.value()).segment());
        } catch (SyscallException e) {
            throw BpfException.of("detach " + describe(), e);
        }
    }

    @Override
    public String describe() {
        return "link " + id;
    }

    @Override
    public void close() {
        fd.close();
    }
}
