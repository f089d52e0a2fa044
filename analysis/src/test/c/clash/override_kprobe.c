/* Fault injection: makes TARGET fail with -ENOMEM through bpf_override_return from a kprobe. */
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define STR(x) #x
#define XSTR(x) STR(x)

SEC("kprobe/" XSTR(TARGET))
int PROG(struct pt_regs *ctx)
{
	bpf_override_return(ctx, -12);
	return 0;
}
