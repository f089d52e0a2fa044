/*
 * A bounded loop of ITERATIONS rounds that the verifier walks round by round: the instructions it processes grow
 * with ITERATIONS while the program stays small, so it can be brought near the 1,000,000 processed-instruction limit.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} acc SEC(".maps");

SEC("xdp")
int bst_near_limit(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *v = bpf_map_lookup_elem(&acc, &zero);
	if (!v)
		return XDP_PASS;
	__u64 sum = 0;
#pragma nounroll
	for (__u32 i = 0; i < ITERATIONS; i++)
		sum += i ^ (sum >> 3);
	*v = sum;
	return XDP_PASS;
}
