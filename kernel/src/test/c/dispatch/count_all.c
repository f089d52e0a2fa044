/* Member 1 of the dispatcher tests: counts every frame (in .bss) and UDP/IPv4 frames per destination port. */
#include "udp_port.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} all_ports SEC(".maps");

__u64 frames;

SEC("xdp")
int count_all(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&frames, 1);
	int port = udp_dst_port(ctx);
	if (port >= 0) {
		__u32 key = port;
		__u64 one = 1, *n = bpf_map_lookup_elem(&all_ports, &key);
		if (n)
			__sync_fetch_and_add(n, 1);
		else
			bpf_map_update_elem(&all_ports, &key, &one, BPF_NOEXIST);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
