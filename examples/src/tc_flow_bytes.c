// tc (attach on egress, or ingress): per-flow accounting keyed by the 5-tuple (family, protocol, addresses,
// ports). Counts packets and bytes (skb->len, i.e. from the MAC header) and first/last-seen times; never drops.
// Flows live in an LRU hash, so old flows are evicted rather than new ones refused.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "parse.h"

/* IPv4 addresses occupy addr[0]; addresses are in network byte order, ports in host byte order.
 * Protocols without ports (ICMP, ...) have both ports 0. The layout has no implicit padding. */
struct flow_key {
	__u8 family; /* AF_INET (2) or AF_INET6 (10) */
	__u8 proto;
	__u16 sport;
	__u16 dport;
	__u16 pad;
	__be32 saddr[4];
	__be32 daddr[4];
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
	__u64 first_seen_ns;
	__u64 last_seen_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

SEC("tc")
int tc_flow_account(struct __sk_buff *skb)
{
	struct cursor c = { .pos = (void *)(long)skb->data, .end = (void *)(long)skb->data_end };
	struct flow_key key = {};
	struct ethhdr *eth;
	int l4_present = 0;
	int proto;

	__be16 ethertype = parse_eth(&c, &eth);
	if (ethertype == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip;
		proto = parse_ipv4(&c, &ip, &l4_present);
		if (proto < 0)
			return TC_ACT_OK;
		key.family = 2;
		key.saddr[0] = ip->saddr;
		key.daddr[0] = ip->daddr;
	} else if (ethertype == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6;
		proto = parse_ipv6(&c, &ip6, &l4_present);
		if (proto < 0)
			return TC_ACT_OK;
		key.family = 10;
		__builtin_memcpy(key.saddr, &ip6->saddr, sizeof(key.saddr));
		__builtin_memcpy(key.daddr, &ip6->daddr, sizeof(key.daddr));
	} else {
		return TC_ACT_OK;
	}
	key.proto = proto;

	__be16 sport, dport;
	if (l4_present && parse_ports(&c, proto, &sport, &dport) == 0) {
		key.sport = bpf_ntohs(sport);
		key.dport = bpf_ntohs(dport);
	}

	__u64 now = bpf_ktime_get_ns();
	struct flow_stats *stats = bpf_map_lookup_elem(&flows, &key);
	if (!stats) {
		struct flow_stats fresh = { .first_seen_ns = now };
		/* BPF_NOEXIST: if another CPU created the flow meanwhile, keep its entry and add to it */
		bpf_map_update_elem(&flows, &key, &fresh, BPF_NOEXIST);
		stats = bpf_map_lookup_elem(&flows, &key);
		if (!stats)
			return TC_ACT_OK;
	}
	__sync_fetch_and_add(&stats->packets, 1);
	__sync_fetch_and_add(&stats->bytes, skb->len);
	stats->last_seen_ns = now;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
