package io.bpfstore.kernel.netlink;

import io.bpfstore.kernel.link.Direction;

/**
 * A legacy tc BPF classifier (cls_bpf) on a clsact qdisc, as rtnetlink reports it.
 *
 * @param ifindex      the interface index
 * @param device       the interface name
 * @param direction    the clsact hook: ingress or egress
 * @param programId    the program
 * @param name         the name tc gave the filter (usually "file.o:[section]")
 * @param priority     the filter priority
 * @param handle       the filter handle
 * @param directAction whether the program's return value is the tc action (direct-action mode)
 */
public record TcFilter(int ifindex, String device, Direction direction, int programId, String name, int priority,
                       int handle, boolean directAction) {
}
