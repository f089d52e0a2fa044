/* The record readers' test program: for every frame, one record with the frame's length, a running number and its
 * first 16 bytes, written to a perf event array (this CPU's event) and to a ring buffer. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct frame_record {
	__u32 len;
	__u32 seq;
	__u8 head[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} frame_perf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096 * 4);
} frame_ring SEC(".maps");

/* the running number, and what bpf_perf_event_output returned last (-ENOENT: no perf event at this CPU's index) */
struct {
	__u32 seq;
	__s32 perf_result;
} state;

SEC("xdp")
int frame_records(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct frame_record r = {};

	r.len = end - data;
	r.seq = state.seq++; /* BPF_PROG_TEST_RUN runs one frame at a time */
	if (data + sizeof(r.head) <= end)
		__builtin_memcpy(r.head, data, sizeof(r.head));
	state.perf_result = bpf_perf_event_output(ctx, &frame_perf, BPF_F_CURRENT_CPU, &r, sizeof(r));
	bpf_ringbuf_output(&frame_ring, &r, sizeof(r), 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
