// REJECTED: dereferences the result of bpf_map_lookup_elem without checking it for NULL (a hash lookup
// misses whenever the key is absent).
// Verifier says: "invalid mem access 'map_value_or_null'"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} ifindex_packets SEC(".maps");

SEC("xdp")
int xdp_null_deref(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->ingress_ifindex;
	__u64 *packets = bpf_map_lookup_elem(&ifindex_packets, &ifindex);

	/* missing: if (!packets) return XDP_PASS; */
	__sync_fetch_and_add(packets, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
