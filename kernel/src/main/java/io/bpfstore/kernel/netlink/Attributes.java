package io.bpfstore.kernel.netlink;

import io.bpfstore.bytecode.ByteReader;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The route attributes (struct rtattr: u16 length, u16 type, payload, padded to 4) of a netlink message. */
final class Attributes {
    private static final int NLA_TYPE_MASK = 0x3fff; // strips NLA_F_NESTED and NLA_F_NET_BYTEORDER
    private final Map<Integer, byte[]> byType;

    private Attributes(Map<Integer, byte[]> byType) {
        this.byType = byType;
    }

    /** Parses the attributes in {@code bytes} from {@code offset} on; later duplicates win. */
    static Attributes parse(byte[] bytes, int offset, String where) {
        ByteReader reader = ByteReader.of(bytes, ByteOrder.nativeOrder(), where);
        Map<Integer, byte[]> out = new HashMap<>();
        int at = offset;
        while (at + 4 <= bytes.length) {
            int length = reader.u16(at);
            int type = reader.u16(at + 2) & NLA_TYPE_MASK;
            if (length < 4 || length > bytes.length - at) {
                throw reader.fail(at, "attribute " + type + " has length " + length + " with " + (bytes.length - at)
                        + " bytes left");
            }
            out.put(type, reader.bytes(at + 4, length - 4));
            at += (length + 3) & ~3;
        }
        return new Attributes(out);
    }

    Optional<byte[]> get(int type) {
        return Optional.ofNullable(byType.get(type));
    }

    Optional<Integer> u8(int type, String where) {
        return get(type).map(b -> ByteReader.of(b, ByteOrder.nativeOrder(), where).u8(0));
    }

    Optional<Integer> u32(int type, String where) {
        return get(type).map(b -> (int) ByteReader.of(b, ByteOrder.nativeOrder(), where).u32(0));
    }

    Optional<String> string(int type, String where) {
        return get(type).map(b -> ByteReader.of(b, ByteOrder.nativeOrder(), where).cString(0));
    }
}
