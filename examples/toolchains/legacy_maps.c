// "Old toolchain" object, in the style of pre-libbpf-1.0 samples/bpf and iproute2 programs: maps declared in
// SEC("maps") as struct bpf_map_def (no BTF), helpers declared by hand by number, programs identified only by
// section names that libbpf 1.x no longer recognises ("socket1", "xdp_prog"), and a "version" section.
// Built without -g. It does NOT load with libbpf >= 1.0 (legacy maps and these section names were removed);
// it exists to exercise parsers and loaders that still understand the legacy layout.
// What it would do: socket1 counts packets and bytes per IP protocol of AF_PACKET traffic (like samples/bpf
// sockex1); xdp_prog counts frames per ingress interface and passes them.

#define SEC(name) __attribute__((section(name), used))

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;

/* The map definition format libbpf < 1.0 read from the "maps" section. */
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

#define BPF_MAP_TYPE_HASH 1
#define BPF_MAP_TYPE_ARRAY 2
#define BPF_ANY 0
#define XDP_PASS 2
#define ETH_HLEN 14
#define IP_PROTOCOL_OFFSET 9

/* Only the context fields used, as the uapi defines them at these offsets. */
struct __sk_buff {
	__u32 len;
	__u32 pkt_type;
};

struct xdp_md {
	__u32 data;
	__u32 data_end;
	__u32 data_meta;
	__u32 ingress_ifindex;
};

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value, __u64 flags) = (void *)2;
/* the classic LD_ABS byte load, as samples/bpf's load_byte() */
unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");

struct bpf_map_def SEC("maps") proto_bytes = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 256,
};

struct bpf_map_def SEC("maps") ifindex_frames = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 256,
};

SEC("socket1")
int count_proto_bytes(struct __sk_buff *skb)
{
	__u32 proto = load_byte(skb, ETH_HLEN + IP_PROTOCOL_OFFSET);
	__u64 *bytes = bpf_map_lookup_elem(&proto_bytes, &proto);

	if (bytes)
		__sync_fetch_and_add(bytes, skb->len);
	return 0; /* count only: the socket itself receives nothing, as in samples/bpf sockex1 */
}

SEC("xdp_prog")
int count_ifindex(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->ingress_ifindex;
	__u64 *frames = bpf_map_lookup_elem(&ifindex_frames, &ifindex);

	if (frames) {
		__sync_fetch_and_add(frames, 1);
	} else {
		__u64 one = 1;
		bpf_map_update_elem(&ifindex_frames, &ifindex, &one, BPF_ANY);
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x061200; /* LINUX_VERSION_CODE of 6.18, as old kprobe loaders demanded */
