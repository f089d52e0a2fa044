package io.bpfstore.kernel.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Ethernet frames for BPF_PROG_TEST_RUN: what the test programs and the examples look at. */
final class Frames {
    private Frames() {
    }

    /** An Ethernet + IPv4 + UDP frame to {@code port} with {@code payload} bytes. */
    static byte[] udp4(int port, int payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + payload).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {2, 0, 0, 0, 0, 1}).put(new byte[] {2, 0, 0, 0, 0, 2}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + payload)).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(new byte[] {10, 0, 0, 2}).put(new byte[] {10, 0, 0, 1});
        b.putShort((short) 40000).putShort((short) port).putShort((short) (8 + payload)).putShort((short) 0);
        return b.array();
    }

    /** An Ethernet + IPv4 + ICMP echo request. */
    static byte[] icmp4() {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + 16).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {2, 0, 0, 0, 0, 1}).put(new byte[] {2, 0, 0, 0, 0, 2}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + 16)).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) 1).putShort((short) 0).put(new byte[] {10, 0, 0, 2}).put(new byte[] {10, 0, 0, 1});
        b.put((byte) 8).put((byte) 0).putShort((short) 0).putInt(1);
        return b.array();
    }

    /** An ARP-typed frame of minimum size. */
    static byte[] arp() {
        ByteBuffer b = ByteBuffer.allocate(60).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(new byte[] {2, 0, 0, 0, 0, 2}).putShort((short) 0x0806);
        return b.array();
    }

    /** A few frames of different kinds. */
    static List<byte[]> samples() {
        return List.of(udp4(7777, 32), udp4(53, 12), icmp4(), arp());
    }
}
