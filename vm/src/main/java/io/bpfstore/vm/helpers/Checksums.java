package io.bpfstore.vm.helpers;

/** The Internet checksum arithmetic of {@code bpf_csum_diff}: ones' complement sums of 32-bit words. */
final class Checksums {
    private Checksums() {
    }

    /**
     * {@code csum_partial} over the words of {@code to} and the complements of the words of {@code from},
     * starting at {@code seed}: a 32-bit partial sum, not folded to 16 bits (as the kernel returns it).
     */
    static long diff(byte[] from, byte[] to, int seed) {
        long sum = seed & 0xffffffffL;
        for (int i = 0; i < from.length; i += 4) {
            sum += ~word(from, i) & 0xffffffffL;
        }
        for (int i = 0; i < to.length; i += 4) {
            sum += word(to, i);
        }
        while ((sum >>> 32) != 0) {
            sum = (sum & 0xffffffffL) + (sum >>> 32);
        }
        return sum;
    }

    /**
     * bpf_l3_csum_replace / bpf_l4_csum_replace: updates the 16-bit checksum at {@code offset} of the packet for a
     * field changed from {@code from} to {@code to} (2 or 4 bytes, the low bits of {@code flags}), by RFC 1624's
     * incremental update. With BPF_F_MARK_MANGLED_0 (l4) a zero UDP checksum stays zero and a result of zero is
     * written as 0xffff.
     */
    static long replace(io.bpfstore.vm.memory.AddressSpace memory, io.bpfstore.vm.packet.Packet packet, long offset,
                        long from, long to, long flags, boolean l4) {
        int size = (int) (flags & 0xf);
        boolean mangled0 = l4 && (flags & 0x20) != 0;
        if (size != 0 && size != 2 && size != 4 || offset < 0 || offset + 2 > packet.length()) {
            return -22;
        }
        long address = packet.data() + offset;
        // Ones' complement sums don't depend on byte order as long as every word is taken the same way: the
        // checksum, 'from' and 'to' are all used as the bytes lie in memory (network order), as the kernel does.
        long old = memory.load(address, 2);
        if (mangled0 && old == 0) {
            return 0;
        }
        long sum = ~old & 0xffff;
        if (size == 0) { // 'to' is a checksum difference, as bpf_csum_diff returns it
            sum += (to & 0xffff) + ((to >>> 16) & 0xffff);
        } else if (size == 2) {
            sum += (~from & 0xffff) + (to & 0xffff);
        } else {
            sum += (~from & 0xffff) + ((~from >>> 16) & 0xffff) + (to & 0xffff) + ((to >>> 16) & 0xffff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        long result = ~sum & 0xffff;
        if (mangled0 && result == 0) {
            result = 0xffff;
        }
        memory.store(address, 2, result);
        return 0;
    }
    private static long word(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }
}
