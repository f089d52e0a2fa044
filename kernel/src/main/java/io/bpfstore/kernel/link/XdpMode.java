package io.bpfstore.kernel.link;

/** Where an XDP program runs. */
public enum XdpMode {
    /** In the driver, before an skb exists (XDP_FLAGS_DRV_MODE); needs driver support (veth has it). */
    NATIVE(4),
    /** In the generic network stack after the skb is built (XDP_FLAGS_SKB_MODE); works on every device, slower. */
    GENERIC(2),
    /** On the NIC itself (XDP_FLAGS_HW_MODE); needs a program loaded for that device. */
    OFFLOAD(8),
    /** Native, and generic if the driver refuses native mode. */
    AUTO(0);

    private final int flag;

    XdpMode(int flag) {
        this.flag = flag;
    }

    /** The XDP_FLAGS_*_MODE bit (0 for AUTO). */
    int flag() {
        return flag;
    }
}
