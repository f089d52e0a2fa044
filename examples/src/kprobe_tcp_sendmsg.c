// kprobe on tcp_sendmsg(struct sock *sk, struct msghdr *msg, __u64 size): counts calls and requested bytes
// per process (tgid). Uses bpf_tracing.h's BPF_KPROBE to name the arguments; needs -D__TARGET_ARCH_<arch>.
// Note: attaching needs a kernel with CONFIG_KPROBES; loading does not.
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct sock;
struct msghdr;

struct send_counter {
	__u64 calls;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32); /* tgid */
	__type(value, struct send_counter);
} tcp_send_stats SEC(".maps");

SEC("kprobe/tcp_sendmsg")
int BPF_KPROBE(count_tcp_sendmsg, struct sock *sk, struct msghdr *msg, __u64 size)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct send_counter *counter = bpf_map_lookup_elem(&tcp_send_stats, &tgid);

	if (!counter) {
		struct send_counter zero = {};
		bpf_map_update_elem(&tcp_send_stats, &tgid, &zero, BPF_NOEXIST);
		counter = bpf_map_lookup_elem(&tcp_send_stats, &tgid);
		if (!counter)
			return 0;
	}
	__sync_fetch_and_add(&counter->calls, 1);
	__sync_fetch_and_add(&counter->bytes, size);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
