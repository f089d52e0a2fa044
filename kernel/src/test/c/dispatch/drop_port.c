/* Member 2 of the dispatcher tests: drops UDP/IPv4 frames to one port (read-only data) and counts the drops. */
#include "udp_port.h"

const volatile __u32 drop_port = 7777;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} dropped SEC(".maps");

static __attribute__((noinline)) int count_drop(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&dropped, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return XDP_DROP;
}

SEC("xdp")
int drop_port_prog(struct xdp_md *ctx)
{
	if (udp_dst_port(ctx) == drop_port)
		return count_drop();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
