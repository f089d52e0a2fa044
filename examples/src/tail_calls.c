// Tail calls: an XDP dispatcher jumps, through the BPF_MAP_TYPE_PROG_ARRAY dispatch_table, to a per-family
// handler that counts the packet. The table is filled statically (libbpf puts the handlers in at load time);
// user space may swap handlers at run time. A missing entry makes bpf_tail_call fall through, which the
// dispatcher counts as a miss.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

enum { SLOT_IPV4 = 0, SLOT_IPV6 = 1, SLOT_OTHER = 2, SLOTS = 3 };
enum { STAT_IPV4 = 0, STAT_IPV6 = 1, STAT_OTHER = 2, STAT_MISS = 3, STATS = 4 };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STATS);
	__type(key, __u32);
	__type(value, __u64);
} tail_stats SEC(".maps");

static __always_inline int count(__u32 stat)
{
	__u64 *value = bpf_map_lookup_elem(&tail_stats, &stat);

	if (value)
		(*value)++;
	return XDP_PASS;
}

SEC("xdp")
int xdp_handle_ipv4(struct xdp_md *ctx)
{
	return count(STAT_IPV4);
}

SEC("xdp")
int xdp_handle_ipv6(struct xdp_md *ctx)
{
	return count(STAT_IPV6);
}

SEC("xdp")
int xdp_handle_other(struct xdp_md *ctx)
{
	return count(STAT_OTHER);
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__array(values, int(void *));
} dispatch_table SEC(".maps") = {
	.values = {
		[SLOT_IPV4] = (void *)&xdp_handle_ipv4,
		[SLOT_IPV6] = (void *)&xdp_handle_ipv6,
		[SLOT_OTHER] = (void *)&xdp_handle_other,
	},
};

SEC("xdp")
int xdp_dispatch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 slot = SLOT_OTHER;

	if ((void *)(eth + 1) <= data_end) {
		if (eth->h_proto == bpf_htons(ETH_P_IP))
			slot = SLOT_IPV4;
		else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
			slot = SLOT_IPV6;
	}
	bpf_tail_call(ctx, &dispatch_table, slot);
	/* reached only when the slot is empty */
	return count(STAT_MISS);
}

char LICENSE[] SEC("license") = "GPL";
