package io.bpfstore.kernel.netlink;

import io.bpfstore.bytecode.ByteReader;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.kernel.sys.Errno;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tc BPF filters on the clsact hooks of an interface (an RTM_GETTFILTER dump per direction). Filters on
 * other qdiscs (prio, htb classes ...) are not read.
 */
public final class TcFilterDump {
    private TcFilterDump() {
    }

    /** The BPF filters on both clsact hooks of {@code ifindex} (empty when it has no clsact qdisc). */
    public static List<TcFilter> read(int ifindex, String device) {
        List<TcFilter> out = new ArrayList<>();
        try (RouteSocket socket = RouteSocket.open()) {
            for (Direction direction : Direction.values()) {
                int parent = parent(direction);
                byte[] tcmsg = Rtnetlink.tcmsg(ifindex, 0, parent, 0);
                List<RouteSocket.Message> messages;
                try {
                    messages = socket.dump(Rtnetlink.RTM_GETTFILTER, tcmsg, "list tc filters of " + device);
                } catch (BpfException e) {
                    if (Errno.isAny(e.errnoNumber(), Errno.EINVAL, Errno.ENOENT, Errno.ENODEV)) {
                        continue; // no clsact qdisc, or the device went away
                    }
                    throw e;
                }
                for (RouteSocket.Message message : messages) {
                    if (message.type() == Rtnetlink.RTM_NEWTFILTER) {
                        parse(message.payload(), ifindex, device, direction, out);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Every priority taken on one clsact hook of {@code ifindex} by a filter of any kind (bpf, u32, flower ...),
     * with that kind: a priority holds one kind of filter, so a new filter needs a priority not listed here.
     * Empty when the interface has no clsact qdisc.
     */
    public static Map<Integer, String> priorities(int ifindex, String device, Direction direction) {
        Map<Integer, String> out = new TreeMap<>();
        try (RouteSocket socket = RouteSocket.open()) {
            int parent = parent(direction);
            List<RouteSocket.Message> messages;
            try {
                messages = socket.dump(Rtnetlink.RTM_GETTFILTER, Rtnetlink.tcmsg(ifindex, 0, parent, 0),
                        "list tc filters of " + device);
            } catch (BpfException e) {
                if (Errno.isAny(e.errnoNumber(), Errno.EINVAL, Errno.ENOENT, Errno.ENODEV)) {
                    return out;
                }
                throw e;
            }
            for (RouteSocket.Message message : messages) {
                if (message.type() == Rtnetlink.RTM_NEWTFILTER) {
                    String where = "RTM_NEWTFILTER of " + device;
                    int info = (int) ByteReader.of(message.payload(), ByteOrder.nativeOrder(), where).u32(16);
                    String kind = Attributes.parse(message.payload(), Rtnetlink.TCMSG_SIZE, where)
                            .string(Rtnetlink.TCA_KIND, where).orElse("?");
                    out.put(info >>> 16, kind);
                }
            }
        }
        return out;
    }

    /**
     * Whether {@code ifindex} has a clsact qdisc (an RTM_GETQDISC dump: a filter dump cannot tell, it is empty both
     * without the qdisc and with an empty one).
     */
    public static boolean hasClsact(int ifindex, String device) {
        try (RouteSocket socket = RouteSocket.open()) {
            byte[] any = Rtnetlink.tcmsg(ifindex, 0, 0, 0);
            for (RouteSocket.Message message : socket.dump(Rtnetlink.RTM_GETQDISC, any, "list qdiscs of " + device)) {
                if (message.type() != Rtnetlink.RTM_NEWQDISC) {
                    continue;
                }
                String where = "RTM_NEWQDISC of " + device;
                int index = ByteReader.of(message.payload(), ByteOrder.nativeOrder(), where).s32(4);
                if (index == ifindex && "clsact".equals(Attributes.parse(message.payload(), Rtnetlink.TCMSG_SIZE, where)
                        .string(Rtnetlink.TCA_KIND, where).orElse(""))) {
                    return true;
                }
            }
        }
        return false;
    }


    private static int parent(Direction direction) {
        return direction == Direction.INGRESS ? Rtnetlink.PARENT_INGRESS : Rtnetlink.PARENT_EGRESS;
    }

    private static void parse(byte[] payload, int ifindex, String device, Direction direction, List<TcFilter> out) {
        String where = "RTM_NEWTFILTER of " + device;
        ByteReader header = ByteReader.of(payload, ByteOrder.nativeOrder(), where);
        int handle = (int) header.u32(8);
        int info = (int) header.u32(16);
        Attributes attributes = Attributes.parse(payload, Rtnetlink.TCMSG_SIZE, where);
        if (!"bpf".equals(attributes.string(Rtnetlink.TCA_KIND, where).orElse(""))) {
            return;
        }
        byte[] options = attributes.get(Rtnetlink.TCA_OPTIONS).orElse(null);
        if (options == null) {
            return; // the chain/priority header message of a filter list carries no options
        }
        Attributes bpf = Attributes.parse(options, 0, where + " TCA_OPTIONS");
        int programId = bpf.u32(Rtnetlink.TCA_BPF_ID, where).orElse(0);
        if (programId == 0) {
            return;
        }
        out.add(new TcFilter(ifindex, device, direction, programId, bpf.string(Rtnetlink.TCA_BPF_NAME, where).orElse(""),
                info >>> 16, handle,
                (bpf.u32(Rtnetlink.TCA_BPF_FLAGS, where).orElse(0) & Rtnetlink.TCA_BPF_FLAG_ACT_DIRECT) != 0));
    }
}
