package io.bpfstore.kernel.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The rtnetlink numbers that both attaching (the link package) and listing (this package) use, named once: message
 * types ({@code linux/rtnetlink.h}), the XDP link attribute ({@code if_link.h}), the clsact hooks
 * ({@code pkt_sched.h}) and the bpf classifier's attributes ({@code pkt_cls.h}); and the {@code struct tcmsg}
 * header that every tc message starts with.
 */
public final class Rtnetlink {
    /** {@code RTM_NEWLINK}: an interface (a dump's reply). */
    public static final int RTM_NEWLINK = 16;
    /** {@code RTM_GETLINK}: list interfaces. */
    public static final int RTM_GETLINK = 18;
    /** {@code RTM_SETLINK}: change an interface (its XDP program). */
    public static final int RTM_SETLINK = 19;
    /** {@code RTM_NEWQDISC}: add a qdisc, or one qdisc of a dump. */
    public static final int RTM_NEWQDISC = 36;
    /** {@code RTM_DELQDISC}: delete a qdisc. */
    public static final int RTM_DELQDISC = 37;
    /** {@code RTM_GETQDISC}: list qdiscs. */
    public static final int RTM_GETQDISC = 38;
    /** {@code RTM_NEWTFILTER}: add a filter, or one filter of a dump. */
    public static final int RTM_NEWTFILTER = 44;
    /** {@code RTM_DELTFILTER}: delete a filter. */
    public static final int RTM_DELTFILTER = 45;
    /** {@code RTM_GETTFILTER}: list filters. */
    public static final int RTM_GETTFILTER = 46;
    /** {@code IFLA_XDP}: the nested XDP attributes of an interface. */
    public static final int IFLA_XDP = 43;
    /** {@code TC_H_CLSACT}: the clsact qdisc's parent. */
    public static final int TC_H_CLSACT = 0xFFFFFFF1;
    /** The clsact ingress hook as a filter's parent ({@code TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)}). */
    public static final int PARENT_INGRESS = 0xFFFFFFF2;
    /** The clsact egress hook as a filter's parent ({@code TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)}). */
    public static final int PARENT_EGRESS = 0xFFFFFFF3;
    /** {@code TCA_KIND}: the qdisc's or classifier's name ({@code clsact}, {@code bpf}). */
    public static final int TCA_KIND = 1;
    /** {@code TCA_OPTIONS}: the classifier's nested attributes. */
    public static final int TCA_OPTIONS = 2;
    /** {@code TCA_BPF_FD}: the program to attach. */
    public static final int TCA_BPF_FD = 6;
    /** {@code TCA_BPF_NAME}: the filter's name. */
    public static final int TCA_BPF_NAME = 7;
    /** {@code TCA_BPF_FLAGS}: the filter's flags. */
    public static final int TCA_BPF_FLAGS = 8;
    /** {@code TCA_BPF_ID}: the attached program's id. */
    public static final int TCA_BPF_ID = 11;
    /** {@code TCA_BPF_FLAG_ACT_DIRECT}: direct-action mode (the program's return value is the verdict). */
    public static final int TCA_BPF_FLAG_ACT_DIRECT = 1;
    /** {@code sizeof(struct tcmsg)}. */
    public static final int TCMSG_SIZE = 20;

    private Rtnetlink() {
    }

    /** A {@code struct tcmsg} (family AF_UNSPEC) in host order. */
    public static byte[] tcmsg(int ifindex, int handle, int parent, int info) {
        return ByteBuffer.allocate(TCMSG_SIZE).order(ByteOrder.nativeOrder()).put((byte) 0).put((byte) 0)
                .putShort((short) 0).putInt(ifindex).putInt(handle).putInt(parent).putInt(info).array();
    }
}
