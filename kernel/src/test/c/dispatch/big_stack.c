/*
 * A program that uses most of the 512-byte stack, optionally tail-calling too: alone it loads either way; as a
 * dispatcher member (a subprogram) it must still load: the dispatcher adds no stack of its own.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifndef STACK
#define STACK 496
#endif

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} jump SEC(".maps");

SEC("xdp")
int big_stack(struct xdp_md *ctx)
{
	volatile char buf[STACK];
	for (int i = 0; i < STACK; i += 8)
		buf[i] = (char)i;
#ifdef TAIL
	bpf_tail_call(ctx, &jump, 0);
#endif
	return buf[ctx->rx_queue_index & 7] == 0 ? XDP_PASS : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
