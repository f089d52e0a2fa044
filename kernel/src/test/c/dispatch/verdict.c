/*
 * Member 3 of the dispatcher tests, and every member of the verdict table: counts the frames it sees (per UDP
 * destination port, and all of them under key 0xffffffff) and returns the verdict stored in its config map.
 */
#include "udp_port.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} verdict_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} seen_ports SEC(".maps");

static __always_inline void count(__u32 key)
{
	__u64 one = 1, *n = bpf_map_lookup_elem(&seen_ports, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&seen_ports, &key, &one, BPF_NOEXIST);
}

SEC("xdp")
int verdict_prog(struct xdp_md *ctx)
{
	__u32 zero = 0;
	count(0xffffffff);
	int port = udp_dst_port(ctx);
	if (port >= 0)
		count(port);
	__u32 *v = bpf_map_lookup_elem(&verdict_cfg, &zero);
	return v ? *v : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
