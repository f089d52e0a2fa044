// Written so that clang-19 -mcpu=v4 emits BPF ISA v4 instructions: signed division and modulo (sdiv, smod),
// a sign-extending load (ldsx), a sign-extending move (movsx) and unconditional byte swaps (bswap16/32/64).
// (gotol, the 32-bit-offset jump, appears only in programs longer than 32767 instructions.) clang < 18 refuses
// signed division for BPF, so this file is built by clang-19 only.
// It is a real XDP program without maps, so it also loads without BTF: a UDP "calculator" that answers in place.
// For IPv4 UDP packets to port 7777 whose payload holds
//     __be16 a;  __s8 b;  __u8 pad;  __be32 c;  __be64 quotient;  __be32 remainder;  __be16 low;  __u16 pad;
// it computes quotient = (a * c) / b (signed 64-bit), remainder = c % b (signed 32-bit) and low = the low byte
// of a + c, sign-extended to 16 bits; writes them back big-endian (the UDP checksum is cleared, as IPv4 allows)
// and passes the packet on. b == 0 drops the packet.
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include "parse.h"

#define CALC_PORT 7777

struct calc {
	__be16 a;
	__s8 b;
	__u8 pad;
	__be32 c;
	__be64 quotient;
	__be32 remainder;
	__be16 low;
	__u16 pad2;
};

SEC("xdp")
int xdp_signed_calc(struct xdp_md *ctx)
{
	struct cursor cur = { .pos = (void *)(long)ctx->data, .end = (void *)(long)ctx->data_end };
	struct ethhdr *eth;
	struct iphdr *ip;
	int l4_present = 0;

	if (parse_eth(&cur, &eth) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (parse_ipv4(&cur, &ip, &l4_present) != IPPROTO_UDP || !l4_present)
		return XDP_PASS;
	struct udphdr *udp = cur.pos;
	if ((void *)(udp + 1) > cur.end || udp->dest != bpf_htons(CALC_PORT))
		return XDP_PASS;
	struct calc *calc = (void *)(udp + 1);
	if ((void *)(calc + 1) > cur.end)
		return XDP_PASS;

	__s64 b = calc->b;                                     /* ldsx: sign-extending 8-bit load */
	if (b == 0)
		return XDP_DROP;
	__s64 a = (__s16)__builtin_bswap16(calc->a);           /* bswap16, then movsx from 16 bits */
	__s64 c = (__s32)__builtin_bswap32(calc->c);           /* bswap32, then movsx from 32 bits */
	__s32 c32 = c;
	__s32 b32 = b;

	calc->quotient = __builtin_bswap64(a * c / b);         /* sdiv, bswap64 */
	calc->remainder = __builtin_bswap32(c32 % b32);        /* smod (32-bit), bswap32 */
	calc->low = __builtin_bswap16((__s16)(__s8)(a + c));   /* movsx from 8 bits, bswap16 */
	udp->check = 0;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
