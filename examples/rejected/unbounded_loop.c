// REJECTED: spins until user space sets a flag in a map. Nothing bounds the number of iterations, and every
// iteration leaves the verifier in the same state, so it reports an infinite loop.
// Verifier says: "infinite loop detected"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct gate {
	__u32 open;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gate);
} gate SEC(".maps");

SEC("xdp")
int xdp_spin_wait(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct gate *g = bpf_map_lookup_elem(&gate, &zero);

	if (!g)
		return XDP_PASS;
	while (!*(volatile __u32 *)&g->open)
		;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
