// REJECTED: uses a value read from a stack slot that was never written.
// A privileged loader (CAP_PERFMON) may read uninitialised stack: since Linux 5.x the verifier then treats the
// bytes as an unknown scalar ("allow_uninit_stack"); only unprivileged loads fail with "invalid read from
// stack". So this program does what makes such a read fatal for every loader: one of two pointer slots is
// filled, the slot to use is chosen by packet data, and the other slot's garbage is dereferenced.
// Verifier says: "invalid mem access 'scalar'"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} rx_queue_packets SEC(".maps");

SEC("xdp")
int xdp_uninit_stack(struct xdp_md *ctx)
{
	__u64 *volatile slots[2]; /* volatile: keep the slots in memory, as written */
	__u32 key = 0;

	slots[0] = bpf_map_lookup_elem(&rx_queue_packets, &key);
	if (!slots[0])
		return XDP_PASS;
	/* missing: slots[1] = ...; */
	__u64 *packets = slots[ctx->rx_queue_index & 1];
	*packets += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
