// Loops, both kinds the verifier accepts: a bounded C `for` loop (constant bound, not unrolled) that computes
// a 16-bit one's-complement sum over up to the first 64 payload bytes of UDP packets, and the bpf_loop()
// helper that scans a rule table (an array map) for the packet's UDP destination port. Matching packets are
// counted in loop_stats; the last computed payload sum is kept per port rule hit.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "parse.h"

#define MAX_RULES 16
#define SUM_BYTES 64

struct port_rule {
	__u16 port; /* UDP destination port, host byte order; 0 = empty slot */
	__u16 pad;
	__u32 hits;
	__u32 last_sum;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_RULES);
	__type(key, __u32);
	__type(value, struct port_rule);
} port_rules SEC(".maps");

enum { STAT_UDP = 0, STAT_MATCHED = 1, STATS = 2 };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STATS);
	__type(key, __u32);
	__type(value, __u64);
} loop_stats SEC(".maps");

struct scan_ctx {
	__u16 port;
	__s32 match; /* index of the matching rule, -1 if none */
};

/* bpf_loop callback: returns 1 to stop, 0 to continue */
static int scan_rule(__u32 index, struct scan_ctx *scan)
{
	struct port_rule *rule = bpf_map_lookup_elem(&port_rules, &index);

	if (rule && rule->port != 0 && rule->port == scan->port) {
		scan->match = index;
		return 1;
	}
	return 0;
}

static __always_inline void count(__u32 stat)
{
	__u64 *value = bpf_map_lookup_elem(&loop_stats, &stat);

	if (value)
		(*value)++;
}

SEC("xdp")
int xdp_loops(struct xdp_md *ctx)
{
	struct cursor c = { .pos = (void *)(long)ctx->data, .end = (void *)(long)ctx->data_end };
	struct ethhdr *eth;
	struct iphdr *ip;
	int l4_present = 0;

	if (parse_eth(&c, &eth) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (parse_ipv4(&c, &ip, &l4_present) != IPPROTO_UDP || !l4_present)
		return XDP_PASS;
	struct udphdr *udp = c.pos;
	if ((void *)(udp + 1) > c.end)
		return XDP_PASS;
	count(STAT_UDP);

	__u8 *payload = (void *)(udp + 1);
	__u32 sum = 0;
#pragma clang loop unroll(disable)
	for (int i = 0; i < SUM_BYTES; i++) {
		if ((void *)(payload + i + 1) > c.end)
			break;
		sum += (i & 1) ? payload[i] : (__u32)payload[i] << 8;
	}
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);

	struct scan_ctx scan = { .port = bpf_ntohs(udp->dest), .match = -1 };
	bpf_loop(MAX_RULES, scan_rule, &scan, 0);
	if (scan.match >= 0) {
		__u32 index = scan.match;
		struct port_rule *rule = bpf_map_lookup_elem(&port_rules, &index);
		if (rule) {
			__sync_fetch_and_add(&rule->hits, 1);
			rule->last_sum = sum;
		}
		count(STAT_MATCHED);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
