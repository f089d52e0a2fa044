/*
 * A member that tail-calls: its entry jumps to drop_target (XDP_DROP) through a prog array, and returns
 * XDP_ABORTED only if the jump fails. Shows where a tail call made inside a member returns to.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* -DFRAGS builds it for multi-buffer frames: its prog array then belongs to frags programs */
#ifdef FRAGS
#define XDP_SECTION "xdp.frags"
#else
#define XDP_SECTION "xdp"
#endif

SEC(XDP_SECTION)
int drop_target(struct xdp_md *ctx)
{
	return XDP_DROP;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, int(void *));
} targets SEC(".maps") = {
	.values = { [0] = (void *)&drop_target },
};

SEC(XDP_SECTION)
int tail_entry(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &targets, 0);
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
