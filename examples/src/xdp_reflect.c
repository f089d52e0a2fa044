// XDP reflector: bounces UDP datagrams and ICMP/ICMPv6 echo requests back out of the interface they came in on
// (XDP_TX). It swaps the MAC addresses, the IP addresses and the UDP ports; echo requests become echo replies,
// so `ping` through the reflector gets answers. Swapping addresses and ports leaves the IP, UDP and TCP checksums
// unchanged (one's-complement sums are order independent); only the ICMP type change needs a checksum fix.
// Everything else (ARP, neighbour discovery, TCP, ...) passes to the stack.
// On veth, XDP_TX needs the peer device to run an XDP program too (e.g. xdp_count) or to have GRO enabled.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "parse.h"

/* The common first four bytes of ICMP and ICMPv6 (linux/icmp.h drags in libc headers, so declared here). */
struct icmp_common {
	__u8 type;
	__u8 code;
	__sum16 checksum;
};

#define ICMP_ECHO_REQUEST 8
#define ICMP_ECHO_REPLY 0
#define ICMPV6_ECHO_REQUEST 128
#define ICMPV6_ECHO_REPLY 129

struct reflect_counter {
	__u64 packets;
	__u64 bytes;
};

enum { REFLECT_UDP = 0, REFLECT_ECHO = 1, REFLECT_KINDS = 2 };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, REFLECT_KINDS);
	__type(key, __u32);
	__type(value, struct reflect_counter);
} reflect_stats SEC(".maps");

/* RFC 1624 incremental update: the checksum after one 16-bit word changed from old to new. */
static __always_inline __sum16 csum_replace16(__sum16 check, __be16 old, __be16 new)
{
	__u32 sum = (__u16)~check + (__u16)~old + (__u16)new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}

static __always_inline void swap_macs(struct ethhdr *eth)
{
	__u8 tmp[ETH_ALEN];

	__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
}

static __always_inline int reflect(struct xdp_md *ctx, struct ethhdr *eth, __u32 kind)
{
	struct reflect_counter *counter = bpf_map_lookup_elem(&reflect_stats, &kind);

	if (counter) {
		counter->packets++;
		counter->bytes += ctx->data_end - ctx->data;
	}
	swap_macs(eth);
	return XDP_TX;
}

/* Turns an echo request into a reply in place: new type, fixed checksum. The type is the high byte of the
 * first 16-bit word (type, code) that the checksum covers. */
static __always_inline void echo_to_reply(struct icmp_common *icmp, __u8 reply_type)
{
	__be16 old_word = bpf_htons((__u16)icmp->type << 8 | icmp->code);
	__be16 new_word = bpf_htons((__u16)reply_type << 8 | icmp->code);

	icmp->type = reply_type;
	icmp->checksum = csum_replace16(icmp->checksum, old_word, new_word);
}

SEC("xdp")
int xdp_reflect(struct xdp_md *ctx)
{
	struct cursor c = { .pos = (void *)(long)ctx->data, .end = (void *)(long)ctx->data_end };
	struct ethhdr *eth;
	int l4_present = 0;
	int proto;

	__be16 ethertype = parse_eth(&c, &eth);
	if (ethertype == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip;
		proto = parse_ipv4(&c, &ip, &l4_present);
		if (proto < 0 || !l4_present)
			return XDP_PASS;
		if (proto == IPPROTO_UDP) {
			struct udphdr *udp = c.pos;
			if ((void *)(udp + 1) > c.end)
				return XDP_PASS;
			__be16 port = udp->source;
			udp->source = udp->dest;
			udp->dest = port;
		} else if (proto == IPPROTO_ICMP) {
			struct icmp_common *icmp = c.pos;
			if ((void *)(icmp + 1) > c.end || icmp->type != ICMP_ECHO_REQUEST)
				return XDP_PASS;
			echo_to_reply(icmp, ICMP_ECHO_REPLY);
		} else {
			return XDP_PASS;
		}
		__be32 addr = ip->saddr;
		ip->saddr = ip->daddr;
		ip->daddr = addr;
		return reflect(ctx, eth, proto == IPPROTO_UDP ? REFLECT_UDP : REFLECT_ECHO);
	}
	if (ethertype == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6;
		proto = parse_ipv6(&c, &ip6, &l4_present);
		if (proto < 0 || !l4_present)
			return XDP_PASS;
		if (proto == IPPROTO_UDP) {
			struct udphdr *udp = c.pos;
			if ((void *)(udp + 1) > c.end)
				return XDP_PASS;
			__be16 port = udp->source;
			udp->source = udp->dest;
			udp->dest = port;
		} else if (proto == IPPROTO_ICMPV6) {
			struct icmp_common *icmp6 = c.pos;
			if ((void *)(icmp6 + 1) > c.end || icmp6->type != ICMPV6_ECHO_REQUEST)
				return XDP_PASS;
			echo_to_reply(icmp6, ICMPV6_ECHO_REPLY);
		} else {
			return XDP_PASS;
		}
		struct in6_addr addr;
		__builtin_memcpy(&addr, &ip6->saddr, sizeof(addr));
		__builtin_memcpy(&ip6->saddr, &ip6->daddr, sizeof(addr));
		__builtin_memcpy(&ip6->daddr, &addr, sizeof(addr));
		return reflect(ctx, eth, proto == IPPROTO_UDP ? REFLECT_UDP : REFLECT_ECHO);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
