# Every instruction form of the eBPF ISA that LLVM 19 assembles, for the disassembler's oracle test.
# Assembled with: llvm-mc-19 -triple bpfel|bpfeb -mcpu=v4 -filetype=obj (--defsym BIG=1 for bpfeb).
	.text
	.globl all_forms
	.type all_forms,@function
all_forms:
	r0 += 0
	w3 += 1
	r1 += r2
	w4 += w5
	r1 -= 1
	w4 -= -1
	r2 -= r3
	w5 -= w6
	r2 *= -1
	w5 *= 0x7fffffff
	r3 *= r4
	w6 *= w7
	r3 /= 0x7fffffff
	w6 /= -2147483648
	r4 /= r5
	w7 /= w8
	r4 s/= -2147483648
	w7 s/= 42
	r5 s/= r6
	w8 s/= w9
	r5 |= 42
	w8 |= 0
	r6 |= r7
	w9 |= w10
	r6 &= 0
	w9 &= 1
	r7 &= r8
	w10 &= w0
	r7 <<= 1
	w10 <<= -1
	r8 <<= r9
	w0 <<= w1
	r8 >>= -1
	w0 >>= 0x7fffffff
	r9 >>= r10
	w1 >>= w2
	r9 %= 0x7fffffff
	w1 %= -2147483648
	r10 %= r0
	w2 %= w3
	r10 s%= -2147483648
	w2 s%= 42
	r0 s%= r1
	w3 s%= w4
	r0 ^= 42
	w3 ^= 0
	r1 ^= r2
	w4 ^= w5
	r1 = 0
	w4 = 1
	r2 = r3
	w5 = w6
	r2 s>>= 1
	w5 s>>= -1
	r3 s>>= r4
	w6 s>>= w7
	r3 = -r3
	w4 = -w4
	r1 = (s8)r9
	r1 = (s16)r9
	r1 = (s32)r9
	w2 = (s8)w8
	w2 = (s16)w8
	r5 = addr_space_cast(r6, 0, 1)
	r7 = addr_space_cast(r8, 1, 0)
	r1 = le16 r1
	r2 = le32 r2
	r4 = le64 r4
	r1 = be16 r1
	r2 = be32 r2
	r4 = be64 r4
	r1 = bswap16 r1
	r2 = bswap32 r2
	r4 = bswap64 r4
	goto +0
	goto -1
	goto +32767
	goto -32768
	gotol +0
	gotol -5
	gotol +32767
	may_goto +1
	may_goto -2
	if r0 == 0 goto +0
	if r1 == r2 goto -1
	if w3 == -1 goto +2
	if w4 == w5 goto -3
	if r1 > 1 goto +1
	if r2 > r3 goto -2
	if w4 > 0x7fffffff goto +3
	if w5 > w6 goto -4
	if r2 >= -1 goto +2
	if r3 >= r4 goto -3
	if w5 >= -2147483648 goto +4
	if w6 >= w7 goto -5
	if r3 & 0x7fffffff goto +3
	if r4 & r5 goto -4
	if w6 & 42 goto +5
	if w7 & w8 goto -6
	if r4 != -2147483648 goto +4
	if r5 != r6 goto -5
	if w7 != 0 goto +6
	if w8 != w9 goto -7
	if r5 s> 42 goto +5
	if r6 s> r7 goto -6
	if w8 s> 1 goto +7
	if w9 s> w10 goto -8
	if r6 s>= 0 goto +6
	if r7 s>= r8 goto -7
	if w9 s>= -1 goto +8
	if w10 s>= w0 goto -9
	if r7 < 1 goto +7
	if r8 < r9 goto -8
	if w10 < 0x7fffffff goto +9
	if w0 < w1 goto -10
	if r8 <= -1 goto +8
	if r9 <= r10 goto -9
	if w0 <= -2147483648 goto +10
	if w1 <= w2 goto -11
	if r9 s< 0x7fffffff goto +9
	if r10 s< r0 goto -10
	if w1 s< 42 goto +11
	if w2 s< w3 goto -12
	if r10 s<= -2147483648 goto +10
	if r0 s<= r1 goto -11
	if w2 s<= 0 goto +12
	if w3 s<= w4 goto -13
	call 1
	call 211
	call local_fn
	callx r3
	r0 = 0 ll
	r9 = 0x1122334455667788 ll
	r1 = -1 ll
	r2 = -9223372036854775808 ll
	ld_pseudo r1, 1, 3
	ld_pseudo r2, 2, 6
	ld_pseudo r3, 3, 9
	ld_pseudo r4, 4, 12
	ld_pseudo r5, 5, 15
	ld_pseudo r6, 6, 18
	ld_pseudo r10, 2, -1
	r0 = *(u8 *)skb[0x10]
	r0 = *(u8 *)skb[r7]
	r0 = *(u16 *)skb[0x10]
	r0 = *(u16 *)skb[r7]
	r0 = *(u32 *)skb[0x10]
	r0 = *(u32 *)skb[r7]
	r0 = *(u8 *)(r1 + 0)
	r4 = *(u8 *)(r10 - 8)
	r1 = *(u16 *)(r2 + 4)
	r5 = *(u16 *)(r10 - 16)
	r2 = *(u32 *)(r3 + 8)
	r6 = *(u32 *)(r10 - 24)
	r3 = *(u64 *)(r4 + 12)
	r7 = *(u64 *)(r10 - 32)
	w5 = *(u8 *)(r6 + 2)
	w5 = *(u16 *)(r6 + 2)
	w5 = *(u32 *)(r6 + 2)
	r3 = *(s8 *)(r4 - 3)
	r3 = *(s16 *)(r4 - 3)
	r3 = *(s32 *)(r4 - 3)
	r1 = *(u64 *)(r2 + 32767)
	r1 = *(u64 *)(r2 - 32768)
	*(u8 *)(r10 - 8) = 7
	*(u8 *)(r1 + 8) = -1
	*(u16 *)(r10 - 8) = 7
	*(u16 *)(r1 + 8) = -1
	*(u32 *)(r10 - 8) = 7
	*(u32 *)(r1 + 8) = -1
	*(u64 *)(r10 - 8) = 7
	*(u64 *)(r1 + 8) = -1
	*(u8 *)(r1 + 4) = r2
	*(u16 *)(r2 + 4) = r3
	*(u64 *)(r3 + 4) = r4
	*(u32 *)(r1 + 4) = w2
	lock *(u32 *)(r1 - 16) += w2
	lock *(u32 *)(r1 - 16) |= w2
	lock *(u32 *)(r1 - 16) &= w2
	lock *(u32 *)(r1 - 16) ^= w2
	w3 = atomic_fetch_add((u32 *)(r4 + 8), w3)
	w3 = atomic_fetch_or((u32 *)(r4 + 8), w3)
	w3 = atomic_fetch_and((u32 *)(r4 + 8), w3)
	w3 = atomic_fetch_xor((u32 *)(r4 + 8), w3)
	lock *(u64 *)(r1 - 16) += r2
	lock *(u64 *)(r1 - 16) |= r2
	lock *(u64 *)(r1 - 16) &= r2
	lock *(u64 *)(r1 - 16) ^= r2
	r3 = atomic_fetch_add((u64 *)(r4 + 8), r3)
	r3 = atomic_fetch_or((u64 *)(r4 + 8), r3)
	r3 = atomic_fetch_and((u64 *)(r4 + 8), r3)
	r3 = atomic_fetch_xor((u64 *)(r4 + 8), r3)
	r2 = xchg_64(r1 + 4, r2)
	w2 = xchg32_32(r1 + 4, w2)
	r0 = cmpxchg_64(r1 + 4, r0, r2)
	w0 = cmpxchg32_32(r1 + 4, w0, w2)
	exit
# Forms llvm-mc has no syntax for, as raw bytes in the target's order: a kfunc call (src 2) with module
# index 1 and BTF id 0x1234; LD_IND with an immediate (llvm-objdump does not print it); gotol +0x7fffffff
# (llvm-mc accepts only 16-bit gotol offsets).
	.ifdef BIG
	.byte 0x85, 0x02, 0x00, 0x01, 0x00, 0x00, 0x12, 0x34
	.byte 0x40, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05
	.byte 0x06, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff
	.else
	.byte 0x85, 0x20, 0x01, 0x00, 0x34, 0x12, 0x00, 0x00
	.byte 0x40, 0x70, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00
	.byte 0x06, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x7f
	.endif
	.globl local_fn
	.type local_fn,@function
local_fn:
	r0 = 0
.Ltmp:
	if r0 > 3 goto +1
	exit
	goto -3
	exit
