package io.bpfstore.kernel.netlink;

import io.bpfstore.bytecode.ByteReader;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The interfaces of the calling thread's network namespace and the XDP programs they run (an RTM_GETLINK
 * dump with IFLA_XDP).
 */
public final class InterfaceDump {
    private static final int IFINFOMSG_SIZE = 16;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_XDP_ATTACHED = 2;
    private static final int IFLA_XDP_PROG_ID = 4;
    private static final int IFLA_XDP_DRV_PROG_ID = 5;
    private static final int IFLA_XDP_SKB_PROG_ID = 6;
    private static final int IFLA_XDP_HW_PROG_ID = 7;
    private static final int XDP_ATTACHED_DRV = 1;
    private static final int XDP_ATTACHED_SKB = 2;
    private static final int XDP_ATTACHED_HW = 3;
    private static final int XDP_ATTACHED_MULTI = 4;

    /**
     * One interface.
     *
     * @param ifindex the interface index
     * @param name    the interface name
     * @param xdp     the XDP programs it runs (one per mode)
     */
    public record Interface(int ifindex, String name, List<XdpAttachment> xdp) {
        /** Copies the list. */
        public Interface {
            xdp = List.copyOf(xdp);
        }
    }

    private InterfaceDump() {
    }

    /** Every interface of this namespace, in the kernel's order. */
    public static List<Interface> read() {
        List<Interface> out = new ArrayList<>();
        try (RouteSocket socket = RouteSocket.open()) {
            byte[] ifinfomsg = new byte[IFINFOMSG_SIZE]; // AF_UNSPEC, all interfaces
            for (RouteSocket.Message message : socket.dump(Rtnetlink.RTM_GETLINK, ifinfomsg, "list interfaces")) {
                if (message.type() == Rtnetlink.RTM_NEWLINK) {
                    out.add(parse(message.payload()));
                }
            }
        }
        return out;
    }

    /** Every XDP program on every interface of this namespace. */
    public static List<XdpAttachment> xdp() {
        return read().stream().flatMap(i -> i.xdp().stream()).toList();
    }

    private static Interface parse(byte[] payload) {
        List<XdpAttachment> out = new ArrayList<>();
        ByteReader header = ByteReader.of(payload, ByteOrder.nativeOrder(), "RTM_NEWLINK");
        int ifindex = header.s32(4);
        Attributes attributes = Attributes.parse(payload, IFINFOMSG_SIZE, "RTM_NEWLINK attributes of ifindex " + ifindex);
        String device = attributes.string(IFLA_IFNAME, "IFLA_IFNAME").orElse("");
        byte[] xdp = attributes.get(Rtnetlink.IFLA_XDP).orElse(null);
        if (xdp == null) {
            return new Interface(ifindex, device, out);
        }
        String where = "IFLA_XDP of " + device;
        Attributes nested = Attributes.parse(xdp, 0, where);
        int attached = nested.u8(IFLA_XDP_ATTACHED, where).orElse(0);
        switch (attached) {
            case XDP_ATTACHED_DRV -> add(out, ifindex, device, XdpAttachment.Mode.DRIVER, nested.u32(IFLA_XDP_PROG_ID, where).orElse(0));
            case XDP_ATTACHED_SKB -> add(out, ifindex, device, XdpAttachment.Mode.GENERIC, nested.u32(IFLA_XDP_PROG_ID, where).orElse(0));
            case XDP_ATTACHED_HW -> add(out, ifindex, device, XdpAttachment.Mode.OFFLOAD, nested.u32(IFLA_XDP_PROG_ID, where).orElse(0));
            case XDP_ATTACHED_MULTI -> {
                add(out, ifindex, device, XdpAttachment.Mode.DRIVER, nested.u32(IFLA_XDP_DRV_PROG_ID, where).orElse(0));
                add(out, ifindex, device, XdpAttachment.Mode.GENERIC, nested.u32(IFLA_XDP_SKB_PROG_ID, where).orElse(0));
                add(out, ifindex, device, XdpAttachment.Mode.OFFLOAD, nested.u32(IFLA_XDP_HW_PROG_ID, where).orElse(0));
            }
            default -> { } // XDP_ATTACHED_NONE
        }
        return new Interface(ifindex, device, out);
    }

    private static void add(List<XdpAttachment> out, int ifindex, String device, XdpAttachment.Mode mode, int programId) {
        if (programId != 0) {
            out.add(new XdpAttachment(ifindex, device, mode, programId));
        }
    }
}
