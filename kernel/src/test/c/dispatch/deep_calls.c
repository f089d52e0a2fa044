/*
 * A chain of DEPTH nested calls (entry plus DEPTH-1 subprograms): the kernel allows 8 frames, and under a
 * dispatcher the dispatcher's frame is one of them.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifndef DEPTH
#define DEPTH 8
#endif

#define LEVEL(n, next) \
	static __attribute__((noinline)) int level##n(volatile int x) { return next(x + 1) + 1; }

static __attribute__((noinline)) int level0(volatile int x) { return x; }
LEVEL(1, level0)
LEVEL(2, level1)
LEVEL(3, level2)
LEVEL(4, level3)
LEVEL(5, level4)
LEVEL(6, level5)

SEC("xdp")
int deep_calls(struct xdp_md *ctx)
{
#if DEPTH >= 8
	return level6(0) > 0 ? XDP_PASS : XDP_DROP;
#else
	return level5(0) > 0 ? XDP_PASS : XDP_DROP;
#endif
}

char LICENSE[] SEC("license") = "GPL";
