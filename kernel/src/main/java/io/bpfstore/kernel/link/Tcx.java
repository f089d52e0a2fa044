package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.AttachedPrograms;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.netlink.InterfaceDump;
import io.bpfstore.kernel.sys.Errno;

/**
 * Attaches tc programs through tcx links (BPF_LINK_CREATE with BPF_TCX_INGRESS/EGRESS, kernel 6.6): many
 * programs per hook in an order set by anchors, each owned by its link, no qdisc involved. A tcx program's
 * return value is the verdict (TCX_NEXT -1 runs the next program, TCX_PASS 0, TCX_DROP 2, TCX_REDIRECT 7).
 */
public final class Tcx {

    private Tcx() {
    }

    /**
     * Attaches {@code program} (sched_cls) to the tcx hook the options name.
     *
     * @throws UnsupportedHookException if the kernel has no tcx
     * @throws BpfException             naming program, hook, anchor and namespace otherwise
     */
    public static BpfLink attach(BpfProgram program, TcxOptions options) {
        AttachType hook = hook(options.direction());
        String what = "attach tcx " + program.describe() + " to " + options.device() + " "
                + options.direction().name().toLowerCase() + " (" + options.anchor() + ")" + options.netns().suffix();
        ProgramCheck.require(program, what, ProgramType.SCHED_CLS);
        return options.netns().run(() -> {
            InterfaceDump.Interface device = options.device().resolve(what);
            String where = "tcx " + program.describe() + " on " + device.name() + " "
                    + options.direction().name().toLowerCase() + options.netns().suffix();
            Anchor anchor = options.anchor();
            LinkCreation.Result result = LinkCreation.create(program, device.ifindex(), hook, anchor.flags(),
                    attr -> attr.tcxRelative(anchor.relativeValue()).tcxExpectedRevision(options.expectedRevision()), where);
            if (result.link() != null) {
                return result.link();
            }
            int errno = result.errno();
            if (Errno.EINVAL.is(errno) && !HookSupport.tcx(device.ifindex())) {
                throw new UnsupportedHookException(what, "tcx not supported by this kernel (requires 6.6); use TcLegacy");
            }
            String explanation = switch (Errno.orNull(errno)) {
                case ENOENT -> "the anchor (" + anchor + ") is not attached to this hook";
                case ESTALE -> "the hook changed since revision " + options.expectedRevision() + " (now "
                        + AttachedPrograms.query(device.ifindex(), hook, false).revision() + ")";
                case EEXIST -> "this program is already attached to this hook";
                case ERANGE -> "the hook holds the maximum number of programs";
                case null, default -> null;
            };
            throw new BpfException(what, errno, explanation, "");
        });
    }

    /**
     * The programs on a tcx hook in run order, with their links and the hook's revision.
     *
     * @throws UnsupportedHookException if the kernel has no tcx
     */
    public static AttachedPrograms query(Interface device, Netns netns, Direction direction) {
        String what = "query tcx " + direction.name().toLowerCase() + " of " + device + netns.suffix();
        return netns.run(() -> {
            InterfaceDump.Interface resolved = device.resolve(what);
            try {
                return AttachedPrograms.query(resolved.ifindex(), hook(direction), false);
            } catch (BpfException e) {
                if (Errno.EINVAL.is(e.errnoNumber())) {
                    throw new UnsupportedHookException(what, "tcx not supported by this kernel (requires 6.6)");
                }
                throw e;
            }
        });
    }

    static AttachType hook(Direction direction) {
        return direction == Direction.INGRESS ? AttachType.TCX_INGRESS : AttachType.TCX_EGRESS;
    }
}
