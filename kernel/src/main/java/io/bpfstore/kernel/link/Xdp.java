package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.LinkInfo;
import io.bpfstore.kernel.LinkTarget;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.ObjectIds;
import io.bpfstore.kernel.netlink.InterfaceDump;
import io.bpfstore.kernel.netlink.RouteSocket;
import io.bpfstore.kernel.netlink.Rtnetlink;
import io.bpfstore.kernel.netlink.XdpAttachment;
import io.bpfstore.kernel.sys.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * Attaches XDP programs to network interfaces: through a link (BPF_LINK_CREATE with BPF_XDP) or the legacy
 * netlink call (RTM_SETLINK with IFLA_XDP), and detaches programs that others attached with netlink.
 */
public final class Xdp {
    static final int XDP_FLAGS_UPDATE_IF_NOEXIST = 1;
    static final int XDP_FLAGS_REPLACE = 1 << 4;
    private static final int IFLA_XDP_FD = 1;
    private static final int IFLA_XDP_FLAGS = 3;
    private static final int IFLA_XDP_EXPECTED_FD = 8;

    private Xdp() {
    }

    /**
     * Attaches {@code program} as the options say.
     *
     * @return a {@link BpfLink} (method LINK) or an {@link XdpNetlinkAttachment} (NETLINK)
     * @throws BpfException naming the program, interface and namespace, and for EBUSY which program holds
     *                      the interface
     */
    public static Attachment attach(BpfProgram program, XdpOptions options) {
        String what = "attach xdp " + program.describe() + " to " + options.device() + options.netns().suffix();
        ProgramCheck.require(program, what, ProgramType.XDP);
        return options.netns().run(() -> {
            InterfaceDump.Interface device = options.device().resolve(what);
            String where = "xdp " + program.describe() + " on " + device.name() + options.netns().suffix();
            boolean netlink = options.method() == XdpOptions.Method.NETLINK
                    || (options.method() == XdpOptions.Method.LINK_OR_NETLINK && options.replace().isPresent());
            if (!netlink) {
                List<XdpMode> modes = options.mode() == XdpMode.AUTO ? List.of(XdpMode.NATIVE, XdpMode.GENERIC)
                        : List.of(options.mode());
                int errno = 0;
                for (XdpMode mode : modes) {
                    LinkCreation.Result result = LinkCreation.create(program, device.ifindex(), AttachType.XDP,
                            mode.flag(), attr -> { }, where);
                    if (result.link() != null) {
                        return result.link();
                    }
                    errno = result.errno();
                    if (!Errno.isAny(errno, Errno.EOPNOTSUPP, Errno.EINVAL)) {
                        break; // busy, permission ...: another mode would not help
                    }
                }
                if (options.method() == XdpOptions.Method.LINK_OR_NETLINK && Errno.EINVAL.is(errno) && !HookSupport.linkCreate()) {
                    netlink = true; // a kernel before 5.9
                } else {
                    throw explain(what, new BpfException(what, errno, null, ""), device, options.mode());
                }
            }
            return attachNetlink(program, options, device, what, where);
        });
    }

    private static XdpNetlinkAttachment attachNetlink(BpfProgram program, XdpOptions options,
                                                      InterfaceDump.Interface device, String what, String where) {
        List<XdpMode> modes = options.mode() == XdpMode.AUTO ? List.of(XdpMode.NATIVE, XdpMode.GENERIC)
                : List.of(options.mode());
        BpfException last = null;
        for (XdpMode mode : modes) {
            int flags = mode.flag();
            Optional<Integer> expected = Optional.empty();
            if (options.replace().isPresent()) {
                flags |= XDP_FLAGS_REPLACE;
                expected = Optional.of(options.replace().get().fd().value());
            } else {
                flags |= XDP_FLAGS_UPDATE_IF_NOEXIST;
            }
            try {
                setXdp(device.ifindex(), program.fd().value(), flags, expected, what);
                return new XdpNetlinkAttachment(BpfProgram.fromId(program.id()), device, mode, options.netns(), where);
            } catch (BpfException e) {
                last = e;
                if (!Errno.isAny(e.errnoNumber(), Errno.EOPNOTSUPP, Errno.EINVAL)) {
                    break;
                }
            }
        }
        throw explain(what, last, device, options.mode());
    }

    /**
     * Detaches whatever XDP program runs on {@code device} in {@code mode} (AUTO: in every mode), including
     * programs other tools attached with netlink. Programs attached through a link cannot be removed this
     * way: the kernel refuses with EBUSY, and the message names the link to detach instead.
     *
     * @return the ids of the programs that were detached
     */
    public static List<Integer> detach(Interface device, Netns netns, XdpMode mode) {
        String what = "detach xdp programs from " + device + netns.suffix();
        return netns.run(() -> {
            InterfaceDump.Interface resolved = device.resolve(what);
            List<XdpAttachment> running = resolved.xdp().stream()
                    .filter(a -> mode == XdpMode.AUTO || modeOf(a.mode()) == mode).toList();
            for (XdpAttachment a : running) {
                try {
                    setXdp(resolved.ifindex(), -1, modeOf(a.mode()).flag(), Optional.empty(), what);
                } catch (BpfException e) {
                    throw explain(what, e, resolved, modeOf(a.mode()));
                }
            }
            return running.stream().map(XdpAttachment::programId).toList();
        });
    }

    static XdpMode modeOf(XdpAttachment.Mode mode) {
        return switch (mode) {
            case DRIVER -> XdpMode.NATIVE;
            case GENERIC -> XdpMode.GENERIC;
            case OFFLOAD -> XdpMode.OFFLOAD;
        };
    }

    /** RTM_SETLINK with IFLA_XDP {fd, flags, expected fd}; fd -1 detaches. */
    static void setXdp(int ifindex, int fd, int flags, Optional<Integer> expectedFd, String what) {
        byte[] ifinfomsg = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).put((byte) 0).put((byte) 0)
                .putShort((short) 0).putInt(ifindex).putInt(0).putInt(0).array();
        NetlinkMessage xdp = new NetlinkMessage().u32(IFLA_XDP_FD, fd).u32(IFLA_XDP_FLAGS, flags);
        expectedFd.ifPresent(e -> xdp.u32(IFLA_XDP_EXPECTED_FD, e));
        byte[] body = new NetlinkMessage(ifinfomsg).nested(Rtnetlink.IFLA_XDP, xdp).bytes();
        try (RouteSocket socket = RouteSocket.open()) {
            socket.request(Rtnetlink.RTM_SETLINK, 0, body, what);
        }
    }

    /** Says who holds the interface when the kernel answers EBUSY/EEXIST, keeping what the kernel said. */
    private static BpfException explain(String what, BpfException cause, InterfaceDump.Interface device, XdpMode mode) {
        int errno = cause.errnoNumber();
        String explanation = null;
        if (Errno.isAny(errno, Errno.EBUSY, Errno.EEXIST)) {
            List<XdpAttachment> running = InterfaceDump.read().stream().filter(i -> i.ifindex() == device.ifindex())
                    .flatMap(i -> i.xdp().stream()).toList();
            if (!running.isEmpty()) {
                XdpAttachment holder = running.getFirst();
                String how = xdpLinkOf(holder.programId()).map(id -> "through link " + id + " (detach or update that link)")
                        .orElse("through netlink (Xdp.detach removes it, or pass replace)");
                explanation = "program " + holder.programId() + " " + programName(holder.programId()) + "already runs on "
                        + device.name() + " in " + modeOf(holder.mode()).name().toLowerCase() + " mode, attached " + how;
            }
        } else if (Errno.EOPNOTSUPP.is(errno) && mode == XdpMode.NATIVE) {
            explanation = "the driver of " + device.name() + " has no native XDP; use generic mode";
        }
        return KernelWords.rethrow(what, explanation, cause);
    }

    private static String programName(int id) {
        try (BpfProgram program = BpfProgram.fromId(id)) {
            return "(\"" + program.name() + "\") ";
        } catch (BpfException e) {
            return "";
        }
    }

    /** The XDP link that attaches program {@code programId}, if one does. */
    private static Optional<Integer> xdpLinkOf(int programId) {
        for (int id : ObjectIds.LINK.list()) {
            try (BpfLink link = BpfLink.fromId(id)) {
                LinkInfo info = link.info();
                if (info.target() instanceof LinkTarget.Xdp && info.programId() == programId) {
                    return Optional.of(id);
                }
            } catch (BpfException e) {
                // the link went away meanwhile
            }
        }
        return Optional.empty();
    }
}
