// cgroup_skb egress firewall: refuses packets that processes in the cgroup send to denied destination prefixes
// (IPv4/IPv6 LPM tries) or denied TCP/UDP destination ports. A refused send fails with EPERM in the sender.
// cgroup_skb sees packets from the network header on; headers are copied with bpf_skb_load_bytes.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct lpm_v4_key {
	__u32 prefixlen;
	__be32 addr;
};

struct lpm_v6_key {
	__u32 prefixlen;
	struct in6_addr addr;
};

/* protocol (IPPROTO_TCP / IPPROTO_UDP) and destination port in host byte order */
struct port_key {
	__u8 proto;
	__u8 pad;
	__u16 port;
};

enum { VERDICT_ALLOWED = 0, VERDICT_DENIED = 1, VERDICTS = 2 };

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_v4_key);
	__type(value, __u64); /* packets refused by this prefix */
} deny_dst_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_v6_key);
	__type(value, __u64);
} deny_dst_v6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct port_key);
	__type(value, __u64);
} deny_dst_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VERDICTS);
	__type(key, __u32);
	__type(value, __u64);
} cg_fw_verdicts SEC(".maps");

static __always_inline int verdict(int allow)
{
	__u32 key = allow ? VERDICT_ALLOWED : VERDICT_DENIED;
	__u64 *count = bpf_map_lookup_elem(&cg_fw_verdicts, &key);

	if (count)
		(*count)++;
	return allow;
}

static __always_inline int denied(void *map, void *key)
{
	__u64 *hits = bpf_map_lookup_elem(map, key);

	if (!hits)
		return 0;
	__sync_fetch_and_add(hits, 1);
	return 1;
}

SEC("cgroup_skb/egress")
int cgroup_egress_fw(struct __sk_buff *skb)
{
	__u32 l4_offset;
	__u8 proto;

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		struct iphdr ip;
		if (bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)) < 0)
			return verdict(1);
		struct lpm_v4_key key = { .prefixlen = 32, .addr = ip.daddr };
		if (denied(&deny_dst_v4, &key))
			return verdict(0);
		if (ip.frag_off & bpf_htons(0x1fff))
			return verdict(1); /* non-first fragment: no ports */
		proto = ip.protocol;
		l4_offset = (*(__u8 *)&ip & 0x0f) * 4; /* IHL; not the bitfield, whose bit order is the host's */
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr ip6;
		if (bpf_skb_load_bytes(skb, 0, &ip6, sizeof(ip6)) < 0)
			return verdict(1);
		struct lpm_v6_key key = { .prefixlen = 128, .addr = ip6.daddr };
		if (denied(&deny_dst_v6, &key))
			return verdict(0);
		proto = ip6.nexthdr; /* extension headers are not walked: only plain TCP/UDP is port-filtered */
		l4_offset = sizeof(ip6);
	} else {
		return verdict(1);
	}

	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return verdict(1);
	/* TCP and UDP both start with source port, destination port */
	__be16 ports[2];
	if (bpf_skb_load_bytes(skb, l4_offset, ports, sizeof(ports)) < 0)
		return verdict(1);
	struct port_key pk = { .proto = proto, .pad = 0, .port = bpf_ntohs(ports[1]) };
	if (denied(&deny_dst_ports, &pk))
		return verdict(0);
	return verdict(1);
}

char LICENSE[] SEC("license") = "GPL";
