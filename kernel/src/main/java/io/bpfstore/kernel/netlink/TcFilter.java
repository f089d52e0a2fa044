package io.bpfstore.kernel.netlink;

/**
 * A legacy tc BPF classifier (cls_bpf) on a clsact qdisc, as rtnetlink reports it.
 *
 * @param ifindex      the interface index
 * @param device       the interface name
 * @param direction    ingress or egress
 * @param programId    the program
 * @param name         the name tc gave the filter (usually "file.o:[section]")
 * @param priority     the filter priority
 * @param handle       the filter handle
 * @param directAction whether the program's return value is the tc action (direct-action mode)
 */
public record TcFilter(int ifindex, String device, Direction direction, int programId, String name, int priority,
                       int handle, boolean directAction) {

    /** The clsact hook. */
    public enum Direction {
        /** Packets received (parent ffff:fff2). */
        INGRESS,
        /** Packets sent (parent ffff:fff3). */
        EGRESS
    }
}
