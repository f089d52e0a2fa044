// tc classifier: drops TCP and UDP packets whose destination port is in blocked_ports (TC_ACT_SHOT), counting
// the drops per port; passes everything else. Works on ingress and egress, IPv4 and IPv6.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "parse.h"

/* Key: destination port in host byte order. Value: packets dropped for that port. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u16);
	__type(value, __u64);
} blocked_ports SEC(".maps");

SEC("tc")
int tc_drop_port(struct __sk_buff *skb)
{
	struct cursor c = { .pos = (void *)(long)skb->data, .end = (void *)(long)skb->data_end };
	struct ethhdr *eth;
	struct iphdr *ip;
	struct ipv6hdr *ip6;
	int l4_present = 0;
	int proto;

	__be16 ethertype = parse_eth(&c, &eth);
	if (ethertype == bpf_htons(ETH_P_IP))
		proto = parse_ipv4(&c, &ip, &l4_present);
	else if (ethertype == bpf_htons(ETH_P_IPV6))
		proto = parse_ipv6(&c, &ip6, &l4_present);
	else
		return TC_ACT_OK;

	__be16 sport, dport;
	if (proto < 0 || !l4_present || parse_ports(&c, proto, &sport, &dport) < 0)
		return TC_ACT_OK;

	__u16 port = bpf_ntohs(dport);
	__u64 *drops = bpf_map_lookup_elem(&blocked_ports, &port);
	if (!drops)
		return TC_ACT_OK;
	__sync_fetch_and_add(drops, 1);
	return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
