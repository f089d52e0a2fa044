/* A map whose max_entries (ENTRIES) decides whether it is oversize; the program only looks it up. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct flow {
	__u64 packets, bytes, first, last;
	__u64 pad[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ENTRIES);
	__type(key, __u64);
	__type(value, struct flow);
} flows SEC(".maps");

SEC("xdp")
int bst_flows(struct xdp_md *ctx)
{
	__u64 k = ctx->ingress_ifindex;
	struct flow *f = bpf_map_lookup_elem(&flows, &k);
	if (f)
		f->packets++;
	return XDP_PASS;
}
