// bpf-to-bpf calls: an XDP packet-size histogram built from subprograms. classify_size() and bump() are
// static __noinline functions (verified in the caller's context, so they may take map-value pointers);
// size_bucket() and record_size() are global __noinline functions (verified once on their own, from their BTF
// signatures, so they take only scalars or the context).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define BUCKETS 8

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
} size_histogram SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} total_bytes SEC(".maps");

/* Global: bucket i holds sizes in [64 << (i-1), 64 << i); bucket 0 is < 64, the last bucket is open-ended. */
__noinline int size_bucket(__u32 len)
{
	int bucket = 0;

	for (__u32 limit = 64; bucket < BUCKETS - 1 && len >= limit; limit <<= 1)
		bucket++;
	return bucket;
}

static __noinline void bump(__u64 *counter, __u64 by)
{
	if (counter)
		*counter += by;
}

static __noinline __u32 classify_size(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	return size_bucket(len);
}

/* Global, taking the context: updates both maps for one packet and returns its length. */
__noinline int record_size(struct xdp_md *ctx)
{
	__u32 bucket = classify_size(ctx);
	__u32 zero = 0;

	if (!ctx)
		return 0;
	bump(bpf_map_lookup_elem(&size_histogram, &bucket), 1);
	bump(bpf_map_lookup_elem(&total_bytes, &zero), ctx->data_end - ctx->data);
	return ctx->data_end - ctx->data;
}

SEC("xdp")
int xdp_size_hist(struct xdp_md *ctx)
{
	record_size(ctx);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
