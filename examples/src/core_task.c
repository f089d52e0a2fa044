// CO-RE: on every process exit (tracepoint sched/sched_process_exit) reads fields of the exiting task_struct
// with BPF_CORE_READ — pid, tgid, parent's tgid, owner uid, exit code, start time, comm — and records them in
// an LRU hash keyed by pid. The kernel structs are declared here with only the fields used and
// preserve_access_index, so libbpf relocates every field offset against the running kernel's BTF at load time.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define TASK_COMM_LEN 16

typedef struct {
	unsigned int val;
} kuid_t;

struct cred {
	kuid_t uid;
	kuid_t euid;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
	int tgid;
	int exit_code;
	unsigned long long start_time;
	struct task_struct *real_parent;
	const struct cred *real_cred;
	char comm[TASK_COMM_LEN];
} __attribute__((preserve_access_index));

struct exit_record {
	__u32 tgid;
	__u32 ppid;
	__u32 uid;
	__s32 exit_code; /* as wait(2) reports it: (status << 8) | signal */
	__u64 start_time_ns; /* since boot, monotonic */
	__u64 lifetime_ns;
	char comm[TASK_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32); /* pid (thread id) */
	__type(value, struct exit_record);
} task_exits SEC(".maps");

SEC("tracepoint/sched/sched_process_exit")
int record_exit(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct exit_record record = {};

	__u32 pid = BPF_CORE_READ(task, pid);
	record.tgid = BPF_CORE_READ(task, tgid);
	record.ppid = BPF_CORE_READ(task, real_parent, tgid);
	record.uid = BPF_CORE_READ(task, real_cred, uid.val);
	record.exit_code = BPF_CORE_READ(task, exit_code);
	record.start_time_ns = BPF_CORE_READ(task, start_time);
	record.lifetime_ns = bpf_ktime_get_ns() - record.start_time_ns;
	BPF_CORE_READ_STR_INTO(&record.comm, task, comm);
	bpf_map_update_elem(&task_exits, &pid, &record, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
