// REJECTED: reads the Ethernet protocol field without first comparing the packet pointer with data_end.
// Verifier says: "invalid access to packet"
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int xdp_oob_read(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;

	/* missing: if ((void *)(eth + 1) > (void *)(long)ctx->data_end) return XDP_PASS; */
	if (eth->h_proto == bpf_htons(ETH_P_ARP))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
