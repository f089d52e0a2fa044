package io.bpfstore.kernel.link;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds the body of an rtnetlink request: a fixed header followed by route attributes (struct rtattr:
 * u16 length, u16 type, payload padded to 4 bytes), host-endian. Nested attributes are built by a second
 * builder and added with {@link #nested}.
 */
final class NetlinkMessage {
    private static final int NLA_F_NESTED = 0x8000;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Starts with {@code header} (ifinfomsg, tcmsg ...), which must be a multiple of 4 bytes. */
    NetlinkMessage(byte[] header) {
        out.writeBytes(header);
    }

    /** An attribute list without header (for nesting). */
    NetlinkMessage() {
        this(new byte[0]);
    }

    NetlinkMessage u32(int type, int value) {
        return attribute(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    NetlinkMessage string(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, terminated, 0, bytes.length);
        return attribute(type, terminated);
    }

    NetlinkMessage nested(int type, NetlinkMessage inner) {
        return attribute(type | NLA_F_NESTED, inner.bytes());
    }

    private NetlinkMessage attribute(int type, byte[] payload) {
        int length = 4 + payload.length;
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putShort((short) length)
                .putShort((short) type).array());
        out.writeBytes(payload);
        out.writeBytes(new byte[((length + 3) & ~3) - length]);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
