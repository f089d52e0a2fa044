/**
 * rtnetlink through the Foreign Function &amp; Memory API: just enough to read which XDP programs interfaces
 * run (RTM_GETLINK with IFLA_XDP) and which tc filters they have, and to send the change requests that
 * {@code io.bpfstore.kernel.link} builds ({@link io.bpfstore.kernel.netlink.RouteSocket#request}). Messages
 * are host-endian.
 *
 * <p>Traps: a dump reply spans several recv() calls and ends with NLMSG_DONE, not with a short read; an
 * NLMSG_ERROR carries a negative errno; the socket belongs to the network namespace of the thread that
 * created it (see {@link io.bpfstore.kernel.Netns}). Every length in a reply is checked before
 * use; a malformed reply is a {@link io.bpfstore.bytecode.MalformedObjectException} naming the message and offset.
 */
package io.bpfstore.kernel.netlink;
