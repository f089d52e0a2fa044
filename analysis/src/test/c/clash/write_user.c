/* Rewrites the path an openat(2) caller passes, from the syscall's entry tracepoint (bpf_probe_write_user). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct enter_openat {
	__u64 common;
	__s64 nr;
	__u64 dfd;
	const char *filename;
};

SEC("tracepoint/syscalls/sys_enter_openat")
int PROG(struct enter_openat *ctx)
{
	char replacement[8] = "/bst/x";
	bpf_probe_write_user((void *)ctx->filename, replacement, sizeof(replacement));
	return 0;
}
