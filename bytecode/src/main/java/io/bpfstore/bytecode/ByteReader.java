package io.bpfstore.bytecode;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over a slice of bytes in a given byte order. Every read past the slice throws a
 * {@link MalformedObjectException} naming the slice and the offset, so decoders never see an
 * {@link IndexOutOfBoundsException}.
 *
 * <p>Offsets are relative to the start of the slice, which is how ELF and BTF address their contents.
 */
public final class ByteReader {
    private final byte[] bytes;
    private final int start;
    private final int length;
    private final ByteOrder order;
    private final String where;
    private int position;

    private ByteReader(byte[] bytes, int start, int length, ByteOrder order, String where) {
        this.bytes = bytes;
        this.start = start;
        this.length = length;
        this.order = order;
        this.where = where;
    }

    /** A reader over all of {@code bytes}; {@code where} names them in errors. */
    public static ByteReader of(byte[] bytes, ByteOrder order, String where) {
        return new ByteReader(bytes, 0, bytes.length, order, where);
    }

    /**
     * A reader over {@code length} bytes at {@code offset} of this reader; errors name {@code where} and offsets
     * relative to the new slice.
     */
    public ByteReader slice(long offset, long length, String where) {
        if (offset < 0 || length < 0 || offset > this.length || length > this.length - offset) {
            throw new MalformedObjectException(this.where, offset,
                    where + " (" + length + " bytes) extends past the end (" + this.length + " bytes)");
        }
        return new ByteReader(bytes, start + (int) offset, (int) length, order, where);
    }

    /** The name used in errors. */
    public String where() {
        return where;
    }

    /** Byte order of multi-byte reads. */
    public ByteOrder order() {
        return order;
    }

    /** Length of the slice in bytes. */
    public int length() {
        return length;
    }

    /** Current offset of the cursor. */
    public int position() {
        return position;
    }

    /** Moves the cursor; the offset may equal {@link #length()} (the end). */
    public ByteReader position(long offset) {
        if (offset < 0 || offset > length) {
            throw fail(offset, "offset out of range (size " + length + ")");
        }
        position = (int) offset;
        return this;
    }

    /** Bytes left after the cursor. */
    public int remaining() {
        return length - position;
    }

    /** An error at {@code offset} of this slice. */
    public MalformedObjectException fail(long offset, String problem) {
        return new MalformedObjectException(where, offset, problem);
    }

    private int check(long offset, int size) {
        if (offset < 0 || offset > length - size) {
            throw fail(offset, "read of " + size + " bytes past the end (size " + length + ")");
        }
        return start + (int) offset;
    }

    /** Unsigned byte at {@code offset}. */
    public int u8(long offset) {
        return bytes[check(offset, 1)] & 0xff;
    }

    /** Unsigned 16-bit value at {@code offset}. */
    public int u16(long offset) {
        int i = check(offset, 2);
        int a = bytes[i] & 0xff, b = bytes[i + 1] & 0xff;
        return order == ByteOrder.LITTLE_ENDIAN ? a | b << 8 : a << 8 | b;
    }

    /** Signed 32-bit value at {@code offset}. */
    public int s32(long offset) {
        int i = check(offset, 4);
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * k : 8 * (3 - k);
            v |= (bytes[i + k] & 0xff) << shift;
        }
        return v;
    }

    /** Unsigned 32-bit value at {@code offset}. */
    public long u32(long offset) {
        return s32(offset) & 0xffffffffL;
    }

    /** 64-bit value at {@code offset}. */
    public long s64(long offset) {
        int i = check(offset, 8);
        long v = 0;
        for (int k = 0; k < 8; k++) {
            int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * k : 8 * (7 - k);
            v |= (bytes[i + k] & 0xffL) << shift;
        }
        return v;
    }

    /** A copy of {@code size} bytes at {@code offset}. */
    public byte[] bytes(long offset, long size) {
        if (size < 0 || size > length) {
            throw fail(offset, "size " + size + " out of range (size " + length + ")");
        }
        int i = check(offset, (int) size);
        byte[] out = new byte[(int) size];
        System.arraycopy(bytes, i, out, 0, (int) size);
        return out;
    }

    /** All bytes of this slice. */
    public byte[] toArray() {
        return bytes(0, length);
    }

    /** The NUL-terminated string at {@code offset} (UTF-8); a string without its NUL is malformed. */
    public String cString(long offset) {
        int i = check(offset, 1);
        int end = i;
        int limit = start + length;
        while (end < limit && bytes[end] != 0) {
            end++;
        }
        if (end == limit) {
            throw fail(offset, "string is not NUL-terminated");
        }
        return new String(bytes, i, end - i, StandardCharsets.UTF_8);
    }

    /** Reads an unsigned byte at the cursor and advances it. */
    public int nextU8() {
        return advanced(u8(position), 1);
    }

    /** Reads an unsigned 16-bit value at the cursor and advances it. */
    public int nextU16() {
        return advanced(u16(position), 2);
    }

    /** Reads a signed 32-bit value at the cursor and advances it. */
    public int nextS32() {
        return advanced(s32(position), 4);
    }

    /** Reads an unsigned 32-bit value at the cursor and advances it. */
    public long nextU32() {
        return advanced(u32(position), 4);
    }

    /** Reads a 64-bit value at the cursor and advances it. */
    public long nextS64() {
        return advanced(s64(position), 8);
    }

    /** Moves the cursor past a value read at it; the cursor stays put when the read failed. */
    private int advanced(int value, int size) {
        return (int) advanced((long) value, size);
    }

    private long advanced(long value, int size) {
        position += size;
        return value;
    }
}
