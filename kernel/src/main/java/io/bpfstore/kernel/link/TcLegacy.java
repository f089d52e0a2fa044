package io.bpfstore.kernel.link;

import io.bpfstore.bytecode.ByteReader;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.netlink.InterfaceDump;
import io.bpfstore.kernel.netlink.RouteSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Attaches tc programs the pre-tcx way: a {@code bpf} filter in direct-action mode on the clsact qdisc
 * (created if missing), through rtnetlink, as {@code tc filter add dev X ingress bpf da} does. Works on
 * every kernel since 4.5; the filter stays until deleted, which the returned handle does on close.
 */
public final class TcLegacy {
    static final int RTM_NEWQDISC = 36;
    static final int RTM_DELQDISC = 37;
    static final int RTM_NEWTFILTER = 44;
    static final int RTM_DELTFILTER = 45;
    static final int TC_H_CLSACT = 0xFFFFFFF1;
    static final int CLSACT_HANDLE = 0xFFFF0000;
    static final int PARENT_INGRESS = 0xFFFFFFF2;
    static final int PARENT_EGRESS = 0xFFFFFFF3;
    static final int TCA_KIND = 1;
    private static final int TCA_OPTIONS = 2;
    private static final int TCA_BPF_FD = 6;
    private static final int TCA_BPF_NAME = 7;
    private static final int TCA_BPF_FLAGS = 8;
    private static final int TCA_BPF_FLAG_ACT_DIRECT = 1;
    /** htons(ETH_P_ALL) as the 16-bit protocol in tcm_info. */
    static final int ETH_P_ALL_BE = Short.toUnsignedInt(Short.reverseBytes((short) 0x0003));
    private static final int EEXIST = 17;
    private static final int EINVAL = 22;

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
                int parent = options.direction() == Direction.INGRESS ? PARENT_INGRESS : PARENT_EGRESS;
                String name = options.name().isEmpty() ? program.name() : options.name();
                NetlinkMessage bpf = new NetlinkMessage().u32(TCA_BPF_FD, program.fd().value())
                        .string(TCA_BPF_NAME, name).u32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
                byte[] body = new NetlinkMessage(tcmsg(device.ifindex(), options.handle(), parent,
                        (options.priority() << 16) | ETH_P_ALL_BE)).string(TCA_KIND, "bpf").nested(TCA_OPTIONS, bpf).bytes();
                List<RouteSocket.Message> echoed;
                try {
                    echoed = socket.request(RTM_NEWTFILTER, RouteSocket.NLM_F_CREATE | RouteSocket.NLM_F_EXCL
                            | RouteSocket.NLM_F_ECHO, body, what);
                } catch (BpfException e) {
                    if (createdQdisc) {
                        deleteClsact(socket, device.ifindex(), what);
                    }
                    String explanation = switch (e.errnoNumber()) {
                        case EEXIST -> "a filter with priority " + options.priority() + " and handle 0x"
                                + Integer.toHexString(options.handle()) + " already exists on this hook";
                        case EINVAL -> "the kernel refused the filter (a priority taken by another filter kind?)";
                        default -> null;
                    };
                    throw KernelWords.rethrow(what, explanation, e);
                }
                int handle = options.handle();
                int priority = options.priority();
                for (RouteSocket.Message message : echoed) {
                    if (message.type() == RTM_NEWTFILTER) {
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

    static byte[] tcmsg(int ifindex, int handle, int parent, int info) {
        return ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()).put((byte) 0).put((byte) 0).putShort((short) 0)
                .putInt(ifindex).putInt(handle).putInt(parent).putInt(info).array();
    }

    /** Adds the clsact qdisc; returns false if it was already there. */
    private static boolean createClsact(RouteSocket socket, int ifindex, String what) {
        byte[] body = new NetlinkMessage(tcmsg(ifindex, CLSACT_HANDLE, TC_H_CLSACT, 0)).string(TCA_KIND, "clsact").bytes();
        try {
            socket.request(RTM_NEWQDISC, RouteSocket.NLM_F_CREATE | RouteSocket.NLM_F_EXCL, body, what + ": add clsact qdisc");
            return true;
        } catch (BpfException e) {
            if (e.errnoNumber() == EEXIST) {
                return false;
            }
            throw e;
        }
    }

    static void deleteClsact(RouteSocket socket, int ifindex, String what) {
        byte[] body = new NetlinkMessage(tcmsg(ifindex, CLSACT_HANDLE, TC_H_CLSACT, 0)).string(TCA_KIND, "clsact").bytes();
        socket.request(RTM_DELQDISC, 0, body, what + ": delete clsact qdisc");
    }
}
