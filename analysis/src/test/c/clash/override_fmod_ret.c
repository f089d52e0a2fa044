/* Fault injection the BTF way: an fmod_ret program whose non-zero return replaces TARGET's result. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define STR(x) #x
#define XSTR(x) STR(x)

SEC("fmod_ret/" XSTR(TARGET))
int PROG(unsigned long long *ctx)
{
	return -12;
}
