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

    private static long word(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }
}
