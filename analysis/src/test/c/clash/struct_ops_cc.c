/*
 * A TCP congestion control registered as struct_ops under the name CC_NAME. Only the members this test needs are
 * declared; libbpf matches the struct with the kernel's BTF by member name when loading.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct sock;

struct tcp_congestion_ops {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	char name[16];
};

SEC("struct_ops/CC_VAR_ssthresh")
__u32 CC_VAR_ssthresh(struct sock *sk)
{
	return 2;
}

SEC("struct_ops/CC_VAR_cong_avoid")
void CC_VAR_cong_avoid(struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/CC_VAR_undo_cwnd")
__u32 CC_VAR_undo_cwnd(struct sock *sk)
{
	return 10;
}

SEC(".struct_ops")
struct tcp_congestion_ops CC_VAR = {
	.ssthresh = (void *)CC_VAR_ssthresh,
	.cong_avoid = (void *)CC_VAR_cong_avoid,
	.undo_cwnd = (void *)CC_VAR_undo_cwnd,
	.name = CC_NAME,
};
