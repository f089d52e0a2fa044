package io.bpfstore.vm.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A run of bytes a program may address: a stack, a packet buffer, a map's values, a test's input. Accesses are
 * allowed in {@code [low, high)}, which a packet moves as a program adjusts its head or tail; everything is
 * little-endian, as on the hosts bpfstore targets (x86-64, arm64).
 */
public class Region {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final byte[] bytes;
    private final boolean writable;
    private int low;
    private int high;

    /**
     * @param name     what the region is, for faults ("stack", "packet", "map counts value")
     * @param bytes    its backing bytes (not copied: maps and packets share them with their owners)
     * @param writable whether stores are allowed
     */
    public Region(String name, byte[] bytes, boolean writable) {
        this.name = name;
        this.bytes = bytes;
        this.writable = writable;
        this.high = bytes.length;
    }

    /** What the region is. */
    public String name() {
        return name;
    }

    /** Its backing bytes. */
    public byte[] bytes() {
        return bytes;
    }

    /** First addressable offset. */
    public int low() {
        return low;
    }

    /** One past the last addressable offset. */
    public int high() {
        return high;
    }

    /** Moves the addressable window (packets: adjust head, tail, meta). */
    public void window(int newLow, int newHigh) {
        if (newLow < 0 || newHigh > bytes.length || newLow > newHigh) {
            throw new IllegalArgumentException("window [" + newLow + ", " + newHigh + ") outside " + bytes.length);
        }
        low = newLow;
        high = newHigh;
    }

    /** Checks an access of {@code size} bytes at {@code offset}; returns the offset. */
    protected final int check(long offset, int size, boolean write) {
        if (offset < low || offset + size > high) {
            throw new MemoryFault((write ? "write" : "read") + " of " + size + " bytes at offset " + offset + " of "
                    + name + " outside [" + low + ", " + high + ")");
        }
        if (write && !writable) {
            throw new MemoryFault("write of " + size + " bytes at offset " + offset + " of read-only " + name);
        }
        return (int) offset;
    }

    /** Reads {@code size} (1, 2, 4 or 8) bytes at {@code offset}, zero-extended. */
    public long load(long offset, int size) {
        int at = check(offset, size, false);
        return switch (size) {
            case 1 -> bytes[at] & 0xffL;
            case 2 -> (short) SHORT.get(bytes, at) & 0xffffL;
            case 4 -> (int) INT.get(bytes, at) & 0xffffffffL;
            default -> (long) LONG.get(bytes, at);
        };
    }

    /** Writes the low {@code size} bytes of {@code value} at {@code offset}. */
    public void store(long offset, int size, long value) {
        int at = check(offset, size, true);
        switch (size) {
            case 1 -> bytes[at] = (byte) value;
            case 2 -> SHORT.set(bytes, at, (short) value);
            case 4 -> INT.set(bytes, at, (int) value);
            default -> LONG.set(bytes, at, value);
        }
    }

    /** Copies {@code length} bytes out (helpers that take a pointer and a size). */
    public byte[] read(long offset, int length) {
        int at = check(offset, length, false);
        byte[] out = new byte[length];
        System.arraycopy(bytes, at, out, 0, length);
        return out;
    }

    /** Copies bytes in. */
    public void write(long offset, byte[] data) {
        int at = check(offset, data.length, true);
        System.arraycopy(data, 0, bytes, at, data.length);
    }
}
