// cgroup_skb: per-cgroup data-usage accounting, the Android "data usage" case. Attached to a cgroup on ingress
// and egress, it counts bytes and packets per socket owner uid (uid_stats) and per socket (cookie_stats, which
// also records the owning uid). It never drops (returns 1 = allow).
// skb->len counts from the network header: IP payload plus IP header, no link-layer header.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct traffic {
	__u64 rx_bytes;
	__u64 rx_packets;
	__u64 tx_bytes;
	__u64 tx_packets;
};

struct socket_traffic {
	__u32 uid;
	__u32 pad;
	struct traffic traffic;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32); /* socket owner uid; the overflow uid 65534 for sockets without owner */
	__type(value, struct traffic);
} uid_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64); /* socket cookie (bpf_get_socket_cookie), 0 for packets without socket */
	__type(value, struct socket_traffic);
} cookie_stats SEC(".maps");

static __always_inline void add(struct traffic *t, int egress, __u32 len)
{
	if (egress) {
		__sync_fetch_and_add(&t->tx_bytes, len);
		__sync_fetch_and_add(&t->tx_packets, 1);
	} else {
		__sync_fetch_and_add(&t->rx_bytes, len);
		__sync_fetch_and_add(&t->rx_packets, 1);
	}
}

/* Not inlined: one copy serves both directions, called as a bpf-to-bpf subprogram. */
static __noinline int account(struct __sk_buff *skb, int egress)
{
	__u32 uid = bpf_get_socket_uid(skb);
	__u64 cookie = bpf_get_socket_cookie(skb);
	__u32 len = skb->len;

	struct traffic *t = bpf_map_lookup_elem(&uid_stats, &uid);
	if (!t) {
		struct traffic zero = {};
		bpf_map_update_elem(&uid_stats, &uid, &zero, BPF_NOEXIST);
		t = bpf_map_lookup_elem(&uid_stats, &uid);
	}
	if (t)
		add(t, egress, len);

	struct socket_traffic *s = bpf_map_lookup_elem(&cookie_stats, &cookie);
	if (!s) {
		struct socket_traffic fresh = { .uid = uid };
		bpf_map_update_elem(&cookie_stats, &cookie, &fresh, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&cookie_stats, &cookie);
	}
	if (s)
		add(&s->traffic, egress, len);
	return 1;
}

SEC("cgroup_skb/ingress")
int cgroup_count_in(struct __sk_buff *skb)
{
	return account(skb, 0);
}

SEC("cgroup_skb/egress")
int cgroup_count_out(struct __sk_buff *skb)
{
	return account(skb, 1);
}

char LICENSE[] SEC("license") = "GPL";
