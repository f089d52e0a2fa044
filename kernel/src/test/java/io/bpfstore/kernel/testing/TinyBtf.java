package io.bpfstore.kernel.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The smallest useful raw BTF: one 32-bit signed {@code int}. Encoding per Documentation/bpf/btf.rst. */
public final class TinyBtf {
    private TinyBtf() {
    }

    /** Header (24 bytes), one INT type (16 bytes), strings "\0int\0". */
    public static byte[] intOnly() {
        byte[] strings = "\0int\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int typesLen = 16;
        ByteBuffer b = ByteBuffer.allocate(24 + typesLen + strings.length).order(ByteOrder.nativeOrder());
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24); // magic, version, flags, hdr_len
        b.putInt(0).putInt(typesLen).putInt(typesLen).putInt(strings.length); // type_off/len, str_off/len
        b.putInt(1).putInt(1 << 24).putInt(4).putInt((1 << 24) | 32); // name "int", KIND_INT, size 4, signed 32 bits
        b.put(strings);
        return b.array();
    }
}
