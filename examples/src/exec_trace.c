// Tracepoint sched/sched_process_exec: emits one event per successful execve() into a ring buffer: time, pid,
// the pid before exec (differs when a non-leader thread execs), uid/gid, new comm and the executed file name.
// Events that find the ring buffer full are counted in exec_dropped instead.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define TASK_COMM_LEN 16
#define FILENAME_LEN 256

/* Layout of the tracepoint record (tracefs events/sched/sched_process_exec/format); it is stable ABI-wise
 * for this tracepoint, so it is declared by hand instead of taken from vmlinux.h. */
struct sched_process_exec_args {
	__u16 common_type;
	__u8 common_flags;
	__u8 common_preempt_count;
	__s32 common_pid;
	__u32 filename_loc; /* __data_loc: low 16 bits offset from the record start, high 16 bits length */
	__s32 pid;
	__s32 old_pid;
};

struct exec_event {
	__u64 timestamp_ns;
	__u32 pid;
	__u32 old_pid;
	__u32 uid;
	__u32 gid;
	char comm[TASK_COMM_LEN];
	char filename[FILENAME_LEN];
};

/* A ring buffer map has no value type, so its BTF says nothing of the records; the declaration tag on the map names
 * the record struct for readers (`bpfstore data --follow` decodes each record as it), and the struct reaches the
 * object's BTF through fill()'s signature (clang emits BTF only for types that functions, globals and maps use). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024); /* bytes; a power of two multiple of the page size */
} exec_events SEC(".maps") __attribute__((btf_decl_tag("bpfstore.record:exec_event")));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} exec_dropped SEC(".maps");

/* Not inlined, so that its signature (and struct exec_event) is in the BTF. */
static __attribute__((noinline)) void fill(struct exec_event *event, struct sched_process_exec_args *ctx)
{
	__u64 uid_gid = bpf_get_current_uid_gid();
	event->timestamp_ns = bpf_ktime_get_ns();
	event->pid = ctx->pid;
	event->old_pid = ctx->old_pid;
	event->uid = (__u32)uid_gid;
	event->gid = uid_gid >> 32;
	bpf_get_current_comm(event->comm, sizeof(event->comm));
	unsigned int offset = ctx->filename_loc & 0xffff;
	if (bpf_probe_read_kernel_str(event->filename, sizeof(event->filename), (void *)ctx + offset) < 0)
		event->filename[0] = '\0';
}

SEC("tracepoint/sched/sched_process_exec")
int trace_exec(struct sched_process_exec_args *ctx)
{
	struct exec_event *event = bpf_ringbuf_reserve(&exec_events, sizeof(*event), 0);

	if (!event) {
		__u32 zero = 0;
		__u64 *dropped = bpf_map_lookup_elem(&exec_dropped, &zero);
		if (dropped)
			__sync_fetch_and_add(dropped, 1);
		return 0;
	}
	fill(event, ctx);
	bpf_ringbuf_submit(event, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
