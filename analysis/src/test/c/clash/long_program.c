/* A straight-line program of about 5,000 instructions: past BPF_MAXINSNS (4,096) for a loader without CAP_BPF. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64[64]);
} acc SEC(".maps");

SEC("tc")
int bst_long(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *a = bpf_map_lookup_elem(&acc, &zero);
	if (!a)
		return -1;
#pragma clang loop unroll(full)
	for (int i = 0; i < 1250; i++)
		a[i & 63] += skb->len ^ i;
	return -1;
}
