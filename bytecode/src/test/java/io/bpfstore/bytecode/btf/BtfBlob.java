package io.bpfstore.bytecode.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes small BTF blobs for tests: a 24-byte header, the type section, then the string section. Callers append
 * raw records, so tests can write exactly the malformed input they mean.
 */
final class BtfBlob {
    /** Offset of the first type record in a built blob (the header is 24 bytes and the types come first). */
    static final int TYPES_START = 24;

    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private long stringBase;

    BtfBlob() {
        strings.write(0);
    }

    /** Byte order of the blob. */
    BtfBlob order(ByteOrder order) {
        this.order = order;
        return this;
    }

    /** For split BTF: string offsets continue after the base's string section of {@code size} bytes. */
    BtfBlob stringBase(long size) {
        this.stringBase = size;
        return this;
    }

    /** Adds a string and returns its offset. */
    int string(String s) {
        int offset = (int) (stringBase + strings.size());
        strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
        return offset;
    }

    /** The {@code info} word of a type record. */
    static int info(BtfKind kind, int vlen, boolean kindFlag) {
        return (kindFlag ? 1 << 31 : 0) | kind.number() << 24 | vlen;
    }

    /** Appends a {@code struct btf_type}. */
    BtfBlob type(int nameOffset, int info, long sizeOrType) {
        return u32(nameOffset).u32(info).u32(sizeOrType);
    }

    /** Appends a {@code struct btf_member}. */
    BtfBlob member(int nameOffset, int type, long offset) {
        return u32(nameOffset).u32(type).u32(offset);
    }

    /** Appends a raw 32-bit word to the type section. */
    BtfBlob u32(long value) {
        types.writeBytes(ByteBuffer.allocate(4).order(order).putInt((int) value).array());
        return this;
    }

    /** Offset in the built blob where the next type-section word will go. */
    int next() {
        return TYPES_START + types.size();
    }

    /** The blob. */
    byte[] build() {
        byte[] t = types.toByteArray(), s = strings.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(TYPES_START + t.length + s.length).order(order);
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(TYPES_START)
                .putInt(0).putInt(t.length).putInt(t.length).putInt(s.length).put(t).put(s);
        return b.array();
    }
}
