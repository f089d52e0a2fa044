package io.bpfstore.analysis.domain;

import java.util.Arrays;

/**
 * Where each byte of a 64-bit scalar came from: a packet byte (by offset from the packet's start), a known
 * constant byte, or unknown. Lane {@code i} is the byte of significance {@code i} (bits {@code 8i..8i+7}), so a
 * little-endian 2-byte load from packet offset 12 has lanes {@code [12, 13, 0, 0, 0, 0, 0, 0]} and its
 * byte-swapped value {@code [13, 12, 0, ...]}: comparing either with a constant is a test of the same packet bytes.
 * This is how {@code ntohs}, shift-and-or assembly and masking by clang are followed without caring about the
 * order the compiler chose.
 *
 * <p>Encoding of a lane: {@code >= 0} packet offset; {@code CONST_BASE - b} the constant byte {@code b};
 * {@link #UNKNOWN}.
 */
public final class Lanes {
    /** An unknown byte. */
    public static final int UNKNOWN = -1;
    private static final int CONST_BASE = -2;

    private final int[] lanes;
    private final boolean exactOffsets;
    private final int bitShift;

    private Lanes(int[] lanes, boolean exactOffsets) {
        this(lanes, exactOffsets, 0);
    }

    private Lanes(int[] lanes, boolean exactOffsets, int bitShift) {
        this.lanes = lanes;
        this.exactOffsets = exactOffsets;
        this.bitShift = bitShift;
    }

    /**
     * Bits (0 to 7) the assembled, masked value is shifted left by: {@code (b & 0x0f) << 2}, the IPv4 header
     * length in bytes, is lanes {@code [b]} with mask 0x0f and bit shift 2.
     */
    public int bitShift() {
        return bitShift;
    }

    /** The same lanes shifted left by {@code bits} more bits within their bytes (sum below 8). */
    public Lanes withBitShift(int bits) {
        if (bits < 0 || bits > 7) {
            throw new IllegalArgumentException("bit shift " + bits);
        }
        return new Lanes(lanes, exactOffsets, bits);
    }

    /** The lane code of constant byte {@code b}. */
    public static int constant(int b) {
        return CONST_BASE - (b & 0xff);
    }

    /** Whether lane code {@code lane} is a packet byte. */
    public static boolean isPacket(int lane) {
        return lane >= 0;
    }

    /** Whether lane code {@code lane} is a constant byte. */
    public static boolean isConstant(int lane) {
        return lane <= CONST_BASE;
    }

    /** The byte value of a constant lane code. */
    public static int constantValue(int lane) {
        return CONST_BASE - lane;
    }

    /**
     * A little-endian load of {@code size} bytes from packet offset {@code offset} (the upper lanes zero).
     *
     * @param exact whether the offset is known exactly (false: the least offset a variable pointer may have)
     */
    public static Lanes load(int offset, int size, boolean exact) {
        int[] l = new int[8];
        for (int i = 0; i < 8; i++) {
            l[i] = i < size ? offset + i : constant(0);
        }
        return new Lanes(l, exact);
    }

    /** A big-endian load ({@code LD_ABS}/{@code LD_IND} convert to host order). */
    public static Lanes loadBigEndian(int offset, int size, boolean exact) {
        int[] l = new int[8];
        for (int i = 0; i < 8; i++) {
            l[i] = i < size ? offset + size - 1 - i : constant(0);
        }
        return new Lanes(l, exact);
    }

    /** The lanes of the constant {@code v}. */
    public static Lanes ofConstant(long v) {
        int[] l = new int[8];
        for (int i = 0; i < 8; i++) {
            l[i] = constant((int) (v >>> (8 * i)));
        }
        return new Lanes(l, true);
    }

    /** Lanes from codes. */
    public static Lanes of(int[] codes, boolean exact) {
        if (codes.length != 8) {
            throw new IllegalArgumentException("8 lanes, not " + codes.length);
        }
        return new Lanes(codes.clone(), exact);
    }

    /** Lane {@code i}'s code. */
    public int lane(int i) {
        return lanes[i];
    }

    /** Whether every packet offset is exactly known. */
    public boolean exactOffsets() {
        return exactOffsets;
    }

    /** Whether any lane is a packet byte. */
    public boolean hasPacket() {
        for (int l : lanes) {
            if (isPacket(l)) {
                return true;
            }
        }
        return false;
    }

    /** Whether all lanes are constants. */
    public boolean allConstant() {
        for (int l : lanes) {
            if (!isConstant(l)) {
                return false;
            }
        }
        return true;
    }

    /** The value when all lanes are constants. */
    public long constantValue() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) constantValue(lanes[i]) << (8 * i);
        }
        return v;
    }

    /** Lanes moved up by {@code bytes} (a left shift by {@code 8 * bytes} bits). */
    public Lanes shiftUp(int bytes) {
        int[] l = new int[8];
        for (int i = 0; i < 8; i++) {
            l[i] = i - bytes >= 0 ? lanes[i - bytes] : constant(0);
        }
        return new Lanes(l, exactOffsets, bitShift);
    }

    /** Lanes moved down by {@code bytes} (a logical right shift). */
    public Lanes shiftDown(int bytes) {
        int[] l = new int[8];
        for (int i = 0; i < 8; i++) {
            l[i] = i + bytes < 8 ? lanes[i + bytes] : constant(0);
        }
        return new Lanes(l, exactOffsets, bitShift);
    }

    /** The lanes above {@code bytes} cleared to zero (a 32-bit operation, a narrow store). */
    public Lanes truncate(int bytes) {
        int[] l = lanes.clone();
        for (int i = bytes; i < 8; i++) {
            l[i] = constant(0);
        }
        return new Lanes(l, exactOffsets, bitShift);
    }

    /** The first {@code bytes} lanes reversed, the rest zero (a byte swap of that width). */
    public Lanes swap(int bytes) {
        int[] l = new int[8];
        for (int i = 0; i < 8; i++) {
            l[i] = i < bytes ? lanes[bytes - 1 - i] : constant(0);
        }
        return new Lanes(l, exactOffsets);
    }

    /**
     * Bitwise and with a constant: a 0x00 mask byte makes a lane the constant zero and constant lanes are
     * masked; packet lanes under a partial mask stay (the caller keeps the mask beside the lanes).
     */
    public Lanes and(long mask) {
        int[] l = lanes.clone();
        for (int i = 0; i < 8; i++) {
            int m = (int) (mask >>> (8 * i)) & 0xff;
            if (isConstant(l[i])) {
                l[i] = constant(constantValue(l[i]) & m);
            } else if (m == 0) {
                l[i] = constant(0);
            }
        }
        return new Lanes(l, exactOffsets, bitShift);
    }

    /** A mask with 0xff in each byte whose lane is not the constant zero. */
    public long nonZeroMask() {
        long m = 0;
        for (int i = 0; i < 8; i++) {
            if (lanes[i] != constant(0)) {
                m |= 0xffL << (8 * i);
            }
        }
        return m;
    }

    /** Bitwise or: defined lane by lane where one side is the constant zero; else the lane is unknown. */
    public Lanes or(Lanes o) {
        int[] l = new int[8];
        for (int i = 0; i < 8; i++) {
            int a = lanes[i], b = o.lanes[i];
            if (isConstant(a) && isConstant(b)) {
                l[i] = constant(constantValue(a) | constantValue(b));
            } else if (a == constant(0)) {
                l[i] = b;
            } else if (b == constant(0)) {
                l[i] = a;
            } else {
                l[i] = UNKNOWN;
            }
        }
        return new Lanes(l, exactOffsets && o.exactOffsets);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lanes other && exactOffsets == other.exactOffsets && bitShift == other.bitShift
                && Arrays.equals(lanes, other.lanes);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(lanes) * 31 + (exactOffsets ? 1 : 0)) * 8 + bitShift;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("lanes[");
        for (int i = 0; i < 8; i++) {
            int l = lanes[i];
            sb.append(i == 0 ? "" : " ").append(isPacket(l) ? "p" + l : isConstant(l)
                    ? String.format("%02x", constantValue(l)) : "?");
        }
        return sb.append(exactOffsets ? "]" : "]~").append(bitShift == 0 ? "" : "<<" + bitShift).toString();
    }
}
