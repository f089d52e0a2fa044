// C that makes clang emit a wide range of instruction forms, for the disassembler's oracle test: compiled by
// the test with clang-19 (-mcpu=v4 -DV4, and the default CPU with -DNO_ATOMIC32) and clang 14 (-mcpu=v3), for
// bpfel and bpfeb.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Signed division and modulo exist from ISA v4 (the test passes -DV4 with -mcpu=v4); older CPUs get unsigned. */
#ifdef V4
#define SDIV(a, b) ((a) / (b))
#define SMOD(a, b) ((a) % (b))
#else
#define SDIV(a, b) ((__u64)(a) / (b))
#define SMOD(a, b) ((__u64)(a) % (b))
#endif

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} counters SEC(".maps");

__u64 total = 0;
__s64 signed_total = 0;
const volatile __u32 limit = 7;

static __attribute__((noinline)) __u64 mix(__u64 a, __s64 b, __s32 c)
{
    __u64 r = a * 31 + (__u64)SDIV(b, 7) - (__u64)SMOD(c, 5);
    r ^= r >> 13;
    r |= (__u64)((__s64)b >> 3);
    return r / (a | 1) + r % 3;
}

static __attribute__((noinline)) __u32 mix32(__u32 a, __s32 b)
{
    __u32 r = a + (__u32)b;
    r <<= 3;
    r = r / (a | 1);
    r = r - (__u32)SDIV(b, 3) + (__u32)SMOD(b, 11);
    return (r & 0xff) | ((__u32)(b >> 2));
}

SEC("xdp")
int xdp_forms(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    __u32 key = 0;
    __u64 *value;
    __s8 *bytes = data;

    if (data + 16 > end)
        return XDP_PASS;
    __s64 s8 = bytes[1];
    __s64 s16 = *(__s16 *)(bytes + 2);
    __s64 s32 = *(__s32 *)(bytes + 4);
    __u16 proto = __builtin_bswap16(*(__u16 *)(bytes + 12));
    __u32 word = __builtin_bswap32(*(__u32 *)(bytes + 8));
    __u64 wide = __builtin_bswap64(*(__u64 *)data);

    value = bpf_map_lookup_elem(&counters, &key);
    if (!value)
        return XDP_DROP;
    __sync_fetch_and_add(value, 1);
    __sync_fetch_and_or(value, 2);
    __sync_fetch_and_and(value, ~4ULL);
    __sync_fetch_and_xor(value, 8);
    __u64 old = __sync_fetch_and_add(value, s8);
    old += __sync_fetch_and_or(value, s16);
    old += __sync_fetch_and_and(value, s32);
    old += __sync_fetch_and_xor(value, wide);
    old += __sync_lock_test_and_set(value, word);
    old += __sync_val_compare_and_swap(value, old, proto);

#ifndef NO_ATOMIC32 /* 32-bit atomics need ALU32 (-mcpu=v3 or later) */
    __u32 *w = (__u32 *)value;
    __sync_fetch_and_add(w, 1);
    __u32 old32 = __sync_fetch_and_add(w, proto);
    old32 += __sync_fetch_and_or(w, 3);
    old32 += __sync_lock_test_and_set(w, old32);
    old32 += __sync_val_compare_and_swap(w, old32, 9);
#else
    __u32 old32 = (__u32)old;
#endif

    total += mix(old, s32, (__s32)s16) + mix32(old32, (__s32)s8);
    signed_total = (s32 < 0 ? -s32 : s32) * s8;
    for (__u32 i = 0; i < limit && i < 8; i++) {
        if ((__s8)bytes[i] < -3)
            total++;
        else if (bytes[i] > 100)
            total += 2;
    }
    switch (proto) {
    case 0x0800: return XDP_PASS;
    case 0x86dd: return XDP_TX;
    case 0x0806: return XDP_ABORTED;
    default: return (int)(word & 3);
    }
}

/* LLVM's packet-load intrinsics, reached the way the kernel's samples do; they become LD_ABS / LD_IND. */
unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");
unsigned long long load_word(void *skb, unsigned long long off) asm("llvm.bpf.load.word");

SEC("socket")
int socket_forms(struct __sk_buff *skb)
{
    __u64 a = load_byte(skb, 12);
    __u64 b = load_half(skb, 12);
    __u64 c = load_word(skb, 26);
    __u64 d = load_byte(skb, skb->len - 1);
    __u64 e = load_half(skb, a);
    __u64 f = load_word(skb, b & 0x3f);
    return (int)(a + b + c + d + e + f) & 0xffff;
}

char LICENSE[] SEC("license") = "GPL";
