/* DataFollowTest's package: for every IPv4 frame, one record (addresses, length, protocol, TTL) to a perf event array
 * whose declaration tag names its record struct; for every frame, its first 6 bytes (the destination MAC) to a ring
 * buffer whose records have no struct at all. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct frame_event {
	__be32 saddr;
	__be32 daddr;
	__u16 len;
	__u8 protocol;
	__u8 ttl;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} frame_events SEC(".maps") __attribute__((btf_decl_tag("bpfstore.record:frame_event")));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096 * 4);
} frame_macs SEC(".maps");

/* Not inlined, so that struct frame_event is in the BTF (through this signature). */
static __attribute__((noinline)) void fill(struct frame_event *e, struct iphdr *ip, __u16 len)
{
	e->saddr = ip->saddr;
	e->daddr = ip->daddr;
	e->len = len;
	e->protocol = ip->protocol;
	e->ttl = ip->ttl;
}

SEC("xdp")
int frame_events_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return XDP_PASS;
	__u8 mac[6];

	__builtin_memcpy(mac, eth->h_dest, sizeof(mac)); /* helpers may not read the packet: copy it to the stack */
	bpf_ringbuf_output(&frame_macs, mac, sizeof(mac), 0);
	struct iphdr *ip = (void *)(eth + 1);
	if (eth->h_proto != bpf_htons(ETH_P_IP) || (void *)(ip + 1) > end)
		return XDP_PASS;
	struct frame_event e = {};
	fill(&e, ip, end - data);
	bpf_perf_event_output(ctx, &frame_events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
