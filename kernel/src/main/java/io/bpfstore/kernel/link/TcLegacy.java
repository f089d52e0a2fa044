package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.ByteReader;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.netlink.InterfaceDump;
import io.bpfstore.kernel.netlink.RouteSocket;
import io.bpfstore.kernel.netlink.Rtnetlink;
import io.bpfstore.kernel.netlink.TcFilter;
import io.bpfstore.kernel.netlink.TcFilterDump;
import io.bpfstore.kernel.sys.Errno;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Attaches tc programs the pre-tcx way: a {@code bpf} filter in direct-action mode on the clsact qdisc
 * (created if missing), through rtnetlink, as {@code tc filter add dev X ingress bpf da} does. Works on
 * every kernel since 4.5; the filter stays until deleted, which the returned handle does on close.
 *
 * <p>A filter outlives the process that added it and has no fd or pin: it is found again by its identity —
 * interface, namespace, direction, priority and handle ({@link #find}) — and changed or deleted only if it still
 * runs the program its owner recorded ({@link #replace}, {@link #detach}), since another tool may have replaced
 * it meanwhile. In tc, lower priorities run first; {@link #freePriority} finds one no other filter takes.
 */
public final class TcLegacy {
    static final int CLSACT_HANDLE = 0xFFFF0000;
    /** htons(ETH_P_ALL) as the 16-bit protocol in tcm_info. */
    static final int ETH_P_ALL_BE = Short.toUnsignedInt(Short.reverseBytes((short) 0x0003));
    private static final int NLM_F_REPLACE = 0x100;

    private TcLegacy() {
    }

    /**
     * Adds {@code program} (sched_cls) as a direct-action bpf filter on the clsact hook the options name.
     *
     * @throws BpfException naming program, interface, hook and namespace if the kernel refuses
     */
    public static TcFilterAttachment attach(BpfProgram program, TcOptions options) {
        String hook = options.direction().name().toLowerCase();
        String what = "attach tc filter " + program.describe() + " to " + options.device() + " " + hook
                + (options.priority() != 0 ? " priority " + options.priority() : "") + options.netns().suffix();
        ProgramCheck.require(program, what, ProgramType.SCHED_CLS);
        return options.netns().run(() -> {
            InterfaceDump.Interface device = options.device().resolve(what);
            try (RouteSocket socket = RouteSocket.open()) {
                boolean createdQdisc = createClsact(socket, device.ifindex(), what);
                int parent = parent(options.direction());
                String name = options.name().isEmpty() ? program.name() : options.name();
                byte[] body = filterBody(device.ifindex(), options, program, name);
                List<RouteSocket.Message> echoed;
                try {
                    echoed = socket.request(Rtnetlink.RTM_NEWTFILTER, RouteSocket.NLM_F_CREATE | RouteSocket.NLM_F_EXCL
                            | RouteSocket.NLM_F_ECHO, body, what);
                } catch (BpfException e) {
                    if (createdQdisc) {
                        deleteClsact(socket, device.ifindex(), what);
                    }
                    String explanation = switch (Errno.orNull(e.errnoNumber())) {
                        case EEXIST -> "a filter with priority " + options.priority() + " and handle 0x"
                                + Integer.toHexString(options.handle()) + " already exists on this hook"
                                + occupant(device, options);
                        case EINVAL -> "the kernel refused the filter (a priority taken by another filter kind?)";
                        case null, default -> null;
                    };
                    throw KernelWords.rethrow(what, explanation, e);
                }
                int handle = options.handle();
                int priority = options.priority();
                for (RouteSocket.Message message : echoed) {
                    if (message.type() == Rtnetlink.RTM_NEWTFILTER) {
                        ByteReader header = ByteReader.of(message.payload(), ByteOrder.nativeOrder(), "echoed tc filter");
                        handle = (int) header.u32(8);
                        priority = (int) (header.u32(16) >>> 16);
                    }
                }
                String description = "tc filter " + program.describe() + " on " + device.name() + " " + hook
                        + " (priority " + priority + ", handle 0x" + Integer.toHexString(handle) + ")" + options.netns().suffix();
                return new TcFilterAttachment(device.ifindex(), parent, priority, handle, createdQdisc, options.netns(),
                        description);
            }
        });
    }

    /**
     * Whether this kernel lacks tcx (before 6.6), so that tc programs must attach the legacy way. Only asks the
     * kernel (a tcx query on the loopback interface of the caller's namespace); attaches nothing.
     */
    public static boolean needed() {
        return !HookSupport.tcx(1);
    }

    /**
     * The bpf filters on the clsact hook {@code direction} of {@code device} in {@code netns}, as an RTM_GETTFILTER
     * dump reports them (empty without a clsact qdisc).
     */
    public static List<TcFilter> filters(Interface device, Netns netns, Direction direction) {
        String what = "list tc filters of " + device + " " + direction.name().toLowerCase() + netns.suffix();
        return netns.run(() -> {
            InterfaceDump.Interface resolved = device.resolve(what);
            return TcFilterDump.read(resolved.ifindex(), resolved.name()).stream()
                    .filter(f -> f.direction() == direction).toList();
        });
    }

    /**
     * The bpf filter at the priority and handle {@code options} name (both non-zero), if there is one: how a filter
     * added earlier, possibly by a process that has since ended, is found again from its record.
     */
    public static Optional<TcFilter> find(TcOptions options) {
        requireIdentity(options, "find");
        return filters(options.device(), options.netns(), options.direction()).stream()
                .filter(f -> f.priority() == options.priority() && f.handle() == options.handle()).findFirst();
    }

    /**
     * The first priority in {@code from..to} that no filter of any kind takes on the hook: a new filter there
     * neither joins nor displaces another tool's filter, and runs after every filter with a lower priority.
     *
     * @throws BpfException (EBUSY) naming the range if every priority in it is taken
     */
    public static int freePriority(Interface device, Netns netns, Direction direction, int from, int to) {
        if (from < 1 || to > 0xffff || from > to) {
            throw new IllegalArgumentException("priority range must lie within 1..65535: " + from + ".." + to);
        }
        String what = "find a free tc priority on " + device + " " + direction.name().toLowerCase() + netns.suffix();
        Map<Integer, String> taken = netns.run(() -> {
            InterfaceDump.Interface resolved = device.resolve(what);
            return TcFilterDump.priorities(resolved.ifindex(), resolved.name(), direction);
        });
        for (int p = from; p <= to; p++) {
            if (!taken.containsKey(p)) {
                return p;
            }
        }
        throw new BpfException(what, Errno.EBUSY.number(), "priorities " + from + " to " + to + " are all taken", "");
    }

    /**
     * Points the filter at the priority and handle {@code options} name at {@code program}, in one step (tc's
     * replace, NLM_F_REPLACE: packets see the old program or the new one, never no filter), if the filter runs
     * {@code expectedProgramId} now. A filter that already runs {@code program} is left as it is.
     *
     * @throws TcFilterChangedException if the filter runs another program (it is left alone)
     * @throws BpfException (ENOENT) if there is no such filter, or if the kernel refuses
     */
    public static void replace(BpfProgram program, TcOptions options, int expectedProgramId) {
        requireIdentity(options, "replace");
        String hook = options.direction().name().toLowerCase();
        String what = "replace the program of tc filter " + options.device() + " " + hook + " priority "
                + options.priority() + " handle 0x" + Integer.toHexString(options.handle()) + options.netns().suffix()
                + " with " + program.describe();
        ProgramCheck.require(program, what, ProgramType.SCHED_CLS);
        options.netns().run(() -> {
            InterfaceDump.Interface device = options.device().resolve(what);
            TcFilter now = current(device, options, what);
            if (now.programId() == program.id()) {
                return null;
            }
            if (now.programId() != expectedProgramId) {
                throw new TcFilterChangedException(what, expectedProgramId, now.programId());
            }
            try (RouteSocket socket = RouteSocket.open()) {
                String name = options.name().isEmpty() ? program.name() : options.name();
                socket.request(Rtnetlink.RTM_NEWTFILTER, NLM_F_REPLACE, filterBody(device.ifindex(), options, program, name),
                        what);
            } catch (BpfException e) {
                throw KernelWords.rethrow(what, null, e);
            }
            return null;
        });
    }

    /**
     * Deletes the filter at the priority and handle {@code options} name if it runs {@code expectedProgramId};
     * with {@code removeEmptyQdisc}, then also the clsact qdisc if no filter of any kind is left on either of its
     * hooks (pass it only for a qdisc the caller created). Returns false if the filter was gone already.
     *
     * @throws TcFilterChangedException if the filter runs another program (it is left alone)
     */
    public static boolean detach(TcOptions options, int expectedProgramId, boolean removeEmptyQdisc) {
        requireIdentity(options, "delete");
        String hook = options.direction().name().toLowerCase();
        String what = "delete tc filter " + options.device() + " " + hook + " priority " + options.priority()
                + " handle 0x" + Integer.toHexString(options.handle()) + options.netns().suffix();
        return options.netns().run(() -> {
            InterfaceDump.Interface device;
            try {
                device = options.device().resolve(what);
            } catch (BpfException e) {
                return false; // the interface (and every filter on it) is gone
            }
            Optional<TcFilter> now = filters(Interface.index(device.ifindex()), Netns.CURRENT, options.direction())
                    .stream().filter(f -> f.priority() == options.priority() && f.handle() == options.handle())
                    .findFirst();
            if (now.isPresent() && now.get().programId() != expectedProgramId) {
                throw new TcFilterChangedException(what, expectedProgramId, now.get().programId());
            }
            try (RouteSocket socket = RouteSocket.open()) {
                if (now.isPresent()) {
                    byte[] body = filter(device.ifindex(), options.handle(), parent(options.direction()),
                            options.priority()).bytes();
                    try {
                        socket.request(Rtnetlink.RTM_DELTFILTER, 0, body, what);
                    } catch (BpfException e) {
                        if (!gone(e)) {
                            throw KernelWords.rethrow(what, null, e);
                        }
                    }
                }
                if (removeEmptyQdisc && TcFilterDump.priorities(device.ifindex(), device.name(), Direction.INGRESS)
                        .isEmpty() && TcFilterDump.priorities(device.ifindex(), device.name(), Direction.EGRESS)
                        .isEmpty()) {
                    try {
                        deleteClsact(socket, device.ifindex(), what);
                    } catch (BpfException e) {
                        if (!gone(e)) {
                            throw e;
                        }
                    }
                }
            }
            return now.isPresent();
        });
    }

    /** Whether {@code device} in {@code netns} has a clsact qdisc. */
    public static boolean hasClsact(Interface device, Netns netns) {
        String what = "look for the clsact qdisc of " + device + netns.suffix();
        return netns.run(() -> {
            InterfaceDump.Interface resolved = device.resolve(what);
            return TcFilterDump.hasClsact(resolved.ifindex(), resolved.name());
        });
    }

    private static TcFilter current(InterfaceDump.Interface device, TcOptions options, String what) {
        return TcFilterDump.read(device.ifindex(), device.name()).stream()
                .filter(f -> f.direction() == options.direction() && f.priority() == options.priority()
                        && f.handle() == options.handle()).findFirst()
                .orElseThrow(() -> new BpfException(what, Errno.ENOENT.number(), "there is no bpf filter with that priority and handle", ""));
    }

    private static boolean gone(BpfException e) {
        int errno = e.errnoNumber();
        return Errno.isAny(errno, Errno.ENOENT, Errno.ENODEV, Errno.EINVAL);
    }

    private static void requireIdentity(TcOptions options, String verb) {
        if (options.priority() == 0 || options.handle() == 0) {
            throw new IllegalArgumentException("to " + verb + " a tc filter, name its priority and handle (got priority "
                    + options.priority() + ", handle " + options.handle() + ")");
        }
    }

    private static byte[] filterBody(int ifindex, TcOptions options, BpfProgram program, String name) {
        NetlinkMessage bpf = new NetlinkMessage().u32(Rtnetlink.TCA_BPF_FD, program.fd().value())
                .string(Rtnetlink.TCA_BPF_NAME, name)
                .u32(Rtnetlink.TCA_BPF_FLAGS, Rtnetlink.TCA_BPF_FLAG_ACT_DIRECT);
        return filter(ifindex, options.handle(), parent(options.direction()), options.priority())
                .nested(Rtnetlink.TCA_OPTIONS, bpf).bytes();
    }

    /** A bpf filter's identity (interface, hook, priority, handle, all protocols): a delete's body, an add's start. */
    static NetlinkMessage filter(int ifindex, int handle, int parent, int priority) {
        return new NetlinkMessage(Rtnetlink.tcmsg(ifindex, handle, parent, (priority << 16) | ETH_P_ALL_BE))
                .string(Rtnetlink.TCA_KIND, "bpf");
    }


    /** The filter at the options' priority and handle in words (" : program 12 \"name\""), for a refusal. */
    private static String occupant(InterfaceDump.Interface device, TcOptions options) {
        return TcFilterDump.read(device.ifindex(), device.name()).stream()
                .filter(f -> f.direction() == options.direction() && f.priority() == options.priority()
                        && f.handle() == options.handle())
                .map(f -> ": program " + f.programId() + " \"" + f.name() + "\"").findFirst().orElse("");
    }

    /** The clsact hook of {@code direction} as a filter's parent. */
    static int parent(Direction direction) {
        return direction == Direction.INGRESS ? Rtnetlink.PARENT_INGRESS : Rtnetlink.PARENT_EGRESS;
    }

    /** Adds the clsact qdisc; returns false if it was already there. */
    private static boolean createClsact(RouteSocket socket, int ifindex, String what) {
        byte[] body = clsact(ifindex);
        try {
            socket.request(Rtnetlink.RTM_NEWQDISC, RouteSocket.NLM_F_CREATE | RouteSocket.NLM_F_EXCL, body,
                    what + ": add clsact qdisc");
            return true;
        } catch (BpfException e) {
            if (Errno.EEXIST.is(e.errnoNumber())) {
                return false;
            }
            throw e;
        }
    }

    static void deleteClsact(RouteSocket socket, int ifindex, String what) {
        byte[] body = clsact(ifindex);
        socket.request(Rtnetlink.RTM_DELQDISC, 0, body, what + ": delete clsact qdisc");
    }

    /** The clsact qdisc of {@code ifindex}, to add or delete. */
    private static byte[] clsact(int ifindex) {
        return new NetlinkMessage(Rtnetlink.tcmsg(ifindex, CLSACT_HANDLE, Rtnetlink.TC_H_CLSACT, 0))
                .string(Rtnetlink.TCA_KIND, "clsact").bytes();
    }
}
