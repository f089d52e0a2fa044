/* An sk_lookup program that only counts lookups: it picks no socket, so its order does not matter. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lookups SEC(".maps");

SEC("sk_lookup")
int bst_count_lookups(struct bpf_sk_lookup *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lookups, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return SK_PASS;
}
