// sockops + sk_msg: local TCP short-circuit. The sockops program (attached to a cgroup) files every
// established TCP socket into a sockhash under its 4-tuple; the sk_msg program (attached to that sockhash)
// hands each sendmsg() payload straight to the receive queue of the peer socket, when the peer is also in the
// sockhash (both ends local), skipping the TCP/IP stack. Both count what they see.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define AF_INET 2
#define AF_INET6 10

/* A connection as seen from one end. Addresses as in the context (network byte order), ports in host order.
 * IPv4 addresses occupy the first word. */
struct sock_key {
	__u32 family;
	__u32 local_ip[4];
	__u32 remote_ip[4];
	__u32 local_port;
	__u32 remote_port;
};

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 65536);
	__type(key, struct sock_key);
	__type(value, __u64); /* the socket; user space reads back its cookie */
} sock_hash SEC(".maps");

/* sockops events by op code (BPF_SOCK_OPS_*) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} sockops_events SEC(".maps");

enum { MSG_REDIRECTED = 0, MSG_PASSED = 1, MSG_OUTCOMES = 2 };

struct msg_counter {
	__u64 messages;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MSG_OUTCOMES);
	__type(key, __u32);
	__type(value, struct msg_counter);
} msg_stats SEC(".maps");

SEC("sockops")
int sockops_track(struct bpf_sock_ops *skops)
{
	__u32 op = skops->op;
	__u32 slot = op < 32 ? op : 31;
	__u64 *events = bpf_map_lookup_elem(&sockops_events, &slot);

	if (events)
		__sync_fetch_and_add(events, 1);
	if (op != BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB && op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB)
		return 1;

	struct sock_key key = {
		.family = skops->family,
		.local_port = skops->local_port,
		/* remote_port holds the network-order port in its upper 16 bits */
		.remote_port = bpf_ntohl(skops->remote_port),
	};
	if (skops->family == AF_INET) {
		key.local_ip[0] = skops->local_ip4;
		key.remote_ip[0] = skops->remote_ip4;
	} else if (skops->family == AF_INET6) {
		key.local_ip[0] = skops->local_ip6[0];
		key.local_ip[1] = skops->local_ip6[1];
		key.local_ip[2] = skops->local_ip6[2];
		key.local_ip[3] = skops->local_ip6[3];
		key.remote_ip[0] = skops->remote_ip6[0];
		key.remote_ip[1] = skops->remote_ip6[1];
		key.remote_ip[2] = skops->remote_ip6[2];
		key.remote_ip[3] = skops->remote_ip6[3];
	} else {
		return 1;
	}
	bpf_sock_hash_update(skops, &sock_hash, &key, BPF_NOEXIST);
	return 1;
}

SEC("sk_msg")
int sk_msg_redirect(struct sk_msg_md *msg)
{
	/* the peer's key: its local end is our remote end */
	struct sock_key peer = {
		.family = msg->family,
		.local_port = bpf_ntohl(msg->remote_port),
		.remote_port = msg->local_port,
	};
	if (msg->family == AF_INET) {
		peer.local_ip[0] = msg->remote_ip4;
		peer.remote_ip[0] = msg->local_ip4;
	} else if (msg->family == AF_INET6) {
		peer.local_ip[0] = msg->remote_ip6[0];
		peer.local_ip[1] = msg->remote_ip6[1];
		peer.local_ip[2] = msg->remote_ip6[2];
		peer.local_ip[3] = msg->remote_ip6[3];
		peer.remote_ip[0] = msg->local_ip6[0];
		peer.remote_ip[1] = msg->local_ip6[1];
		peer.remote_ip[2] = msg->local_ip6[2];
		peer.remote_ip[3] = msg->local_ip6[3];
	}

	long verdict = bpf_msg_redirect_hash(msg, &sock_hash, &peer, BPF_F_INGRESS);
	__u32 outcome = verdict == SK_PASS ? MSG_REDIRECTED : MSG_PASSED;
	struct msg_counter *counter = bpf_map_lookup_elem(&msg_stats, &outcome);
	if (counter) {
		__sync_fetch_and_add(&counter->messages, 1);
		__sync_fetch_and_add(&counter->bytes, msg->size);
	}
	/* no peer in the map: let the message take the normal path */
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
