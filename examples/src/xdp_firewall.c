// XDP firewall: drops packets whose IPv4 or IPv6 source address falls in a denied prefix (longest-prefix-match
// tries, one per family) or whose TCP/UDP destination port is denied (hash map). Everything else passes.
// Each deny entry's value counts the packets it dropped; fw_stats counts verdicts per reason.
#include <linux/bpf.h>
#include <linux/in6.h>
#include <bpf/bpf_helpers.h>
#include "parse.h"

/* LPM trie keys: prefix length in bits, then the address in network byte order. */
struct lpm_v4_key {
	__u32 prefixlen;
	__be32 addr;
};

struct lpm_v6_key {
	__u32 prefixlen;
	struct in6_addr addr;
};

/* Port rule key: protocol (IPPROTO_TCP or IPPROTO_UDP) and destination port in host byte order. */
struct port_key {
	__u8 proto;
	__u8 pad;
	__u16 port;
};

enum fw_reason {
	FW_PASS = 0,
	FW_DROP_SRC_V4 = 1,
	FW_DROP_SRC_V6 = 2,
	FW_DROP_DST_PORT = 3,
	FW_REASONS = 4,
};

struct fw_counter {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* required for LPM tries */
	__type(key, struct lpm_v4_key);
	__type(value, __u64);
} deny_src_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_v6_key);
	__type(value, __u64);
} deny_src_v6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct port_key);
	__type(value, __u64);
} deny_dst_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FW_REASONS);
	__type(key, __u32);
	__type(value, struct fw_counter);
} fw_stats SEC(".maps");

static __always_inline int verdict(struct xdp_md *ctx, __u32 reason)
{
	struct fw_counter *counter = bpf_map_lookup_elem(&fw_stats, &reason);

	if (counter) {
		counter->packets++;
		counter->bytes += ctx->data_end - ctx->data;
	}
	return reason == FW_PASS ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int xdp_firewall(struct xdp_md *ctx)
{
	struct cursor c = { .pos = (void *)(long)ctx->data, .end = (void *)(long)ctx->data_end };
	struct ethhdr *eth;
	int l4_present = 0;
	int proto;
	__u64 *hits;

	__be16 ethertype = parse_eth(&c, &eth);
	if (ethertype == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip;
		proto = parse_ipv4(&c, &ip, &l4_present);
		if (proto < 0)
			return verdict(ctx, FW_PASS);
		struct lpm_v4_key key = { .prefixlen = 32, .addr = ip->saddr };
		hits = bpf_map_lookup_elem(&deny_src_v4, &key);
		if (hits) {
			__sync_fetch_and_add(hits, 1);
			return verdict(ctx, FW_DROP_SRC_V4);
		}
	} else if (ethertype == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6;
		proto = parse_ipv6(&c, &ip6, &l4_present);
		struct lpm_v6_key key = { .prefixlen = 128 };
		/* the source address is checked even when the extension-header chain was not fully parsed */
		if ((void *)(ip6 + 1) > c.end)
			return verdict(ctx, FW_PASS);
		__builtin_memcpy(&key.addr, &ip6->saddr, sizeof(key.addr));
		hits = bpf_map_lookup_elem(&deny_src_v6, &key);
		if (hits) {
			__sync_fetch_and_add(hits, 1);
			return verdict(ctx, FW_DROP_SRC_V6);
		}
		if (proto < 0)
			return verdict(ctx, FW_PASS);
	} else {
		return verdict(ctx, FW_PASS);
	}

	__be16 sport, dport;
	if (!l4_present || parse_ports(&c, proto, &sport, &dport) < 0)
		return verdict(ctx, FW_PASS);
	struct port_key pk = { .proto = proto, .pad = 0, .port = bpf_ntohs(dport) };
	hits = bpf_map_lookup_elem(&deny_dst_port, &pk);
	if (hits) {
		__sync_fetch_and_add(hits, 1);
		return verdict(ctx, FW_DROP_DST_PORT);
	}
	return verdict(ctx, FW_PASS);
}

char LICENSE[] SEC("license") = "GPL";
