package io.bpfstore.kernel.netlink;

/**
 * An XDP program running on an interface, as rtnetlink reports it (IFLA_XDP), whether attached through a
 * link or the legacy netlink call.
 *
 * @param ifindex   the interface index (in the namespace that was queried)
 * @param device    the interface name
 * @param mode      where it runs
 * @param programId the program
 */
public record XdpAttachment(int ifindex, String device, Mode mode, int programId) {

    /** Where an XDP program runs (XDP_ATTACHED_*). */
    public enum Mode {
        /** In the driver (native XDP). */
        DRIVER,
        /** In the generic network stack (skb mode). */
        GENERIC,
        /** Offloaded to the NIC. */
        OFFLOAD
    }
}
