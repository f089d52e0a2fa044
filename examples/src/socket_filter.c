// Socket filter for AF_PACKET (SOCK_RAW) sockets on Ethernet: a header-only capture. It keeps IPv4/IPv6
// TCP and UDP packets truncated to their headers (Ethernet + IP + TCP/UDP header, TCP options included) and
// drops everything else; capture_stats counts accepted packets and their full lengths per IP protocol.
// A socket filter returns how many bytes of the packet the socket receives; 0 drops it.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct capture_counter {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32); /* IP protocol */
	__type(value, struct capture_counter);
} capture_stats SEC(".maps");

SEC("socket")
int sock_hdr_capture(struct __sk_buff *skb)
{
	__u32 l4_offset;
	__u8 proto;

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		__u8 version_ihl;
		if (bpf_skb_load_bytes(skb, ETH_HLEN, &version_ihl, 1) < 0)
			return 0;
		if (bpf_skb_load_bytes(skb, ETH_HLEN + offsetof(struct iphdr, protocol), &proto, 1) < 0)
			return 0;
		l4_offset = ETH_HLEN + (version_ihl & 0x0f) * 4;
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		if (bpf_skb_load_bytes(skb, ETH_HLEN + offsetof(struct ipv6hdr, nexthdr), &proto, 1) < 0)
			return 0;
		l4_offset = ETH_HLEN + sizeof(struct ipv6hdr);
	} else {
		return 0;
	}

	__u32 keep;
	if (proto == IPPROTO_TCP) {
		__u8 doff_byte; /* data offset: high nibble of byte 12, in 32-bit words */
		if (bpf_skb_load_bytes(skb, l4_offset + 12, &doff_byte, 1) < 0)
			return 0;
		keep = l4_offset + (doff_byte >> 4) * 4;
	} else if (proto == IPPROTO_UDP) {
		keep = l4_offset + sizeof(struct udphdr);
	} else {
		return 0;
	}

	__u32 key = proto;
	struct capture_counter *counter = bpf_map_lookup_elem(&capture_stats, &key);
	if (counter) {
		__sync_fetch_and_add(&counter->packets, 1);
		__sync_fetch_and_add(&counter->bytes, skb->len);
	}
	return keep < skb->len ? keep : skb->len;
}

char LICENSE[] SEC("license") = "GPL";
