// Global data: a tc sampler whose configuration lives in .rodata (const volatile, set by the loader before
// load and then frozen: the verifier sees the values and prunes dead branches), whose running state lives in
// .bss (zero-initialised) and whose initialised tunables live in .data (writable from user space through the
// internal map). Every sample_every-th packet of at least min_len bytes is recorded into a small ring of
// lengths. Never drops.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#define SAMPLE_SLOTS 16

/* .rodata: fixed at load time */
const volatile __u32 sample_every = 4;
const volatile __u32 min_len = 0;
const volatile char sampler_name[16] = "len-sampler";

/* .data: initialised, writable at run time */
__u32 enabled = 1;
__u64 generation = 1;

/* .bss: zero-initialised state */
__u64 packets_seen;
__u64 packets_sampled;
__u32 next_slot;
__u32 sampled_len[SAMPLE_SLOTS];

SEC("tc")
int tc_len_sampler(struct __sk_buff *skb)
{
	if (!enabled)
		return TC_ACT_OK;
	__u64 seen = __sync_fetch_and_add(&packets_seen, 1) + 1;
	if (skb->len < min_len)
		return TC_ACT_OK;
	if (sample_every > 1 && seen % sample_every != 0)
		return TC_ACT_OK;

	/* racy across CPUs by design: a lost slot update costs one sample, not correctness */
	__u32 slot = next_slot % SAMPLE_SLOTS;
	next_slot = slot + 1;
	sampled_len[slot] = skb->len;
	__sync_fetch_and_add(&packets_sampled, 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
