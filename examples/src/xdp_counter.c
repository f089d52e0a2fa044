// XDP: counts packets and bytes per IP protocol (IPv4 protocol / IPv6 upper-layer header), then passes them.
// Key: the protocol number; frames that are not IP (ARP, LLDP, ...) are counted under key 0.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "parse.h"

struct counter {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct counter);
} counters SEC(".maps");

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	struct cursor c = { .pos = (void *)(long)ctx->data, .end = (void *)(long)ctx->data_end };
	struct ethhdr *eth;
	struct iphdr *ip;
	struct ipv6hdr *ip6;
	int l4_present;
	int proto = 0;

	__be16 ethertype = parse_eth(&c, &eth);
	if (ethertype == bpf_htons(ETH_P_IP))
		proto = parse_ipv4(&c, &ip, &l4_present);
	else if (ethertype == bpf_htons(ETH_P_IPV6))
		proto = parse_ipv6(&c, &ip6, &l4_present);
	if (proto < 0)
		proto = 0;

	__u32 key = proto & 0xff;
	struct counter *counter = bpf_map_lookup_elem(&counters, &key);
	if (counter) {
		/* per-CPU value: no other CPU writes this copy, plain increments suffice */
		counter->packets++;
		counter->bytes += ctx->data_end - ctx->data;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
