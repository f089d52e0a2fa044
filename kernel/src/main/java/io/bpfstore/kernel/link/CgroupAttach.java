package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.AttachedPrograms;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.Cgroup;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.ProgAttachAttr;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Attaches programs to cgroup v2 hooks, in the two ways the kernel offers: {@link #attach} with
 * BPF_PROG_ATTACH (all flags, including override and replace; attached until detached) and {@link #link}
 * with BPF_LINK_CREATE (kernel 5.7; shares the hook like ALLOW_MULTI, detached when the link goes).
 */
public final class CgroupAttach {

    private CgroupAttach() {
    }

    /**
     * Attaches with BPF_PROG_ATTACH. The program stays attached (even after this process ends) until the
     * returned handle is closed.
     *
     * @throws BpfException saying which flag or program is in the way
     */
    public static CgroupProgramAttachment attach(BpfProgram program, CgroupOptions options) {
        String what = "attach " + program.describe() + " to cgroup " + options.path() + " as "
                + options.attachType().libbpfName() + " (" + options.flags() + ")";
        Cgroup cgroup = open(options.path(), what);
        BpfProgram held = null;
        try (Arena arena = Arena.ofConfined()) {
            held = BpfProgram.fromId(program.id()); // the handle detaches by fd: keep one of our own
            ProgAttachAttr attr = new ProgAttachAttr(arena).target(cgroup.fd().value()).attachBpfFd(held.fd().value())
                    .attachType(options.attachType().number()).attachFlags(options.flags().bits());
            options.replaceProgram().ifPresent(old -> attr.replaceBpfFd(old.fd().value()));
            long result = BpfSyscall.invoke(BpfCommand.PROG_ATTACH, attr.segment());
            if (result < 0) {
                int errno = (int) -result;
                boolean twice = Errno.isAny(errno, Errno.EINVAL, Errno.EEXIST)
                        && AttachedPrograms.query(cgroup.fd().value(), options.attachType(), false).programIds()
                        .contains(program.id());
                throw new BpfException(what, errno, twice ? "this program is already attached to this hook"
                        : explainAttach(errno, options), "");
            }
            return new CgroupProgramAttachment(cgroup, held, options.attachType(), program.describe() + " on cgroup "
                    + options.path() + " as " + options.attachType().libbpfName());
        } catch (RuntimeException e) {
            cgroup.close();
            if (held != null) {
                held.close();
            }
            throw e;
        }
    }

    /**
     * Attaches through a cgroup link (BPF_LINK_CREATE). Links share the hook with other links and with
     * ALLOW_MULTI attachments, so {@code options.flags()} must be ALLOW_MULTI or NONE (meaning the same here).
     *
     * @throws BpfException saying what is in the way
     */
    public static BpfLink link(BpfProgram program, CgroupOptions options) {
        if (options.flags() != CgroupFlags.NONE && options.flags() != CgroupFlags.ALLOW_MULTI) {
            throw new IllegalArgumentException(options.flags() + " applies to BPF_PROG_ATTACH; a link replaces its "
                    + "program with BpfLink.update");
        }
        String what = "link " + program.describe() + " to cgroup " + options.path() + " as "
                + options.attachType().libbpfName();
        try (Cgroup cgroup = open(options.path(), what)) {
            LinkCreation.Result result = LinkCreation.create(program, cgroup.fd().value(), options.attachType(), 0,
                    attr -> { }, program.describe() + " on cgroup " + options.path() + " as "
                            + options.attachType().libbpfName());
            if (result.link() != null) {
                return result.link();
            }
            if (Errno.EINVAL.is(result.errno()) && !HookSupport.linkCreate()) {
                throw new UnsupportedHookException(what, "this kernel has no BPF links (requires 5.7); use CgroupAttach.attach");
            }
            String explanation = switch (Errno.orNull(result.errno())) {
                case EPERM -> "a program attached without ALLOW_MULTI holds this hook";
                case EINVAL -> "the program's type or expected attach type does not fit " + options.attachType().libbpfName();
                case null, default -> null;
            };
            throw new BpfException(what, result.errno(), explanation, "");
        }
    }

    /**
     * The programs attached to a cgroup hook; with {@code effective}, those that run there, inherited included.
     */
    public static AttachedPrograms query(Path path, AttachType attachType, boolean effective) {
        String what = "query cgroup " + path + " " + attachType.libbpfName();
        try (Cgroup cgroup = open(path, what)) {
            return AttachedPrograms.query(cgroup.fd().value(), attachType, effective);
        }
    }

    private static Cgroup open(Path path, String what) {
        try {
            return Cgroup.open(path);
        } catch (UncheckedIOException e) {
            throw new BpfException(what, Errno.ENOENT.number(), "cannot open the cgroup directory: " + e.getCause().getMessage(), "");
        }
    }

    private static String explainAttach(int errno, CgroupOptions options) {
        return switch (Errno.orNull(errno)) {
            case EPERM -> "the hook holds a program attached with flags that forbid this one (a NONE or"
                    + " ALLOW_OVERRIDE program admits no second program; a hook's flags cannot change while programs are attached)";
            case EEXIST -> "this program is already attached to this hook";
            case ENOENT -> options.replaceProgram().map(p -> p.describe() + ", the program to replace, is not attached here")
                    .orElse(null);
            case EINVAL -> "the program's type or expected attach type does not fit " + options.attachType().libbpfName()
                    + ", or the flags are not allowed here";
            case E2BIG -> "the hook holds the maximum number of programs (64)";
            case null, default -> null;
        };
    }
}
