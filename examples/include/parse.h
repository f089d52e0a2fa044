/* Packet-parsing building blocks shared by the XDP and tc examples (direct packet access).
 *
 * Every function checks the header it is about to read against the end of the packet first: the verifier
 * refuses any packet read it cannot prove to be in bounds (see rejected/oob_packet_read.c). All functions
 * are __always_inline because packet pointers may not be passed to global (separately verified) functions. */
#ifndef BPFEX_PARSE_H
#define BPFEX_PARSE_H

#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* Where parsing stands: the next unread byte and the end of the packet. */
struct cursor {
	void *pos;
	void *end;
};

struct vlan_hdr {
	__be16 tci;
	__be16 encapsulated_proto;
};

/* IPv6 extension headers we step over to reach TCP/UDP; a packet with more than this many is left unparsed. */
#define IPV6_MAX_EXT_HEADERS 4

/* Parses the Ethernet header and up to two VLAN tags (802.1Q / 802.1ad).
 * Returns the inner ethertype in network byte order, or 0 when the frame is too short. */
static __always_inline __be16 parse_eth(struct cursor *c, struct ethhdr **eth_out)
{
	struct ethhdr *eth = c->pos;

	if ((void *)(eth + 1) > c->end)
		return 0;
	*eth_out = eth;
	c->pos = eth + 1;
	__be16 proto = eth->h_proto;

#pragma unroll
	for (int i = 0; i < 2; i++) {
		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		struct vlan_hdr *vlan = c->pos;
		if ((void *)(vlan + 1) > c->end)
			return 0;
		proto = vlan->encapsulated_proto;
		c->pos = vlan + 1;
	}
	return proto;
}

/* Parses an IPv4 header including options. Returns the L4 protocol, or -1 when the header is truncated or
 * malformed. Non-first fragments carry no L4 header: for them the cursor is left at the payload and
 * *l4_present is 0. */
static __always_inline int parse_ipv4(struct cursor *c, struct iphdr **ip_out, int *l4_present)
{
	struct iphdr *ip = c->pos;

	if ((void *)(ip + 1) > c->end)
		return -1;
	/* version/IHL byte read directly: the uapi ihl bitfield follows the host's, not the target's, bit order */
	__u32 hdr_len = (*(__u8 *)ip & 0x0f) * 4;
	if (hdr_len < sizeof(*ip))
		return -1;
	if (c->pos + hdr_len > c->end)
		return -1;
	*ip_out = ip;
	c->pos += hdr_len;
	*l4_present = (ip->frag_off & bpf_htons(0x1fff)) == 0;
	return ip->protocol;
}

/* Parses the fixed IPv6 header and steps over hop-by-hop, routing, destination-options and fragment headers.
 * Returns the upper-layer protocol, or -1 when truncated or when there are too many extension headers. */
static __always_inline int parse_ipv6(struct cursor *c, struct ipv6hdr **ip6_out, int *l4_present)
{
	struct ipv6hdr *ip6 = c->pos;

	if ((void *)(ip6 + 1) > c->end)
		return -1;
	*ip6_out = ip6;
	c->pos = ip6 + 1;
	*l4_present = 1;
	int next = ip6->nexthdr;

#pragma unroll
	for (int i = 0; i < IPV6_MAX_EXT_HEADERS; i++) {
		__u8 *ext = c->pos;

		switch (next) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			if ((void *)(ext + 2) > c->end)
				return -1;
			next = ext[0];
			c->pos += (ext[1] + 1) * 8;
			break;
		case IPPROTO_FRAGMENT:
			if ((void *)(ext + 8) > c->end)
				return -1;
			next = ext[0];
			/* fragment offset (upper 13 bits of bytes 2..3) non-zero: no L4 header here */
			if ((((__u16)ext[2] << 8 | ext[3]) & 0xfff8) != 0)
				*l4_present = 0;
			c->pos += 8;
			break;
		default:
			return next;
		}
	}
	return -1;
}

/* Reads source and destination port of a TCP or UDP header (network byte order). Returns 0 on success,
 * -1 when the protocol has no ports or the header is truncated. */
static __always_inline int parse_ports(struct cursor *c, int proto, __be16 *sport, __be16 *dport)
{
	if (proto == IPPROTO_TCP) {
		struct tcphdr *tcp = c->pos;
		if ((void *)(tcp + 1) > c->end)
			return -1;
		*sport = tcp->source;
		*dport = tcp->dest;
		return 0;
	}
	if (proto == IPPROTO_UDP) {
		struct udphdr *udp = c->pos;
		if ((void *)(udp + 1) > c->end)
			return -1;
		*sport = udp->source;
		*dport = udp->dest;
		return 0;
	}
	return -1;
}

#endif /* BPFEX_PARSE_H */
