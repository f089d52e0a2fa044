package io.bpfstore.vm.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a pcap or pcapng file into packets, refusing anything but Ethernet (link type 1). */
public final class CaptureReader {
    /** LINKTYPE_ETHERNET. */
    static final int ETHERNET = 1;
    /** Largest packet a capture may hold here (pcapng allows more; no Ethernet frame is larger). */
    private static final int MAX_PACKET = 262_144;

    private CaptureReader() {
    }

    /** Reads {@code path}. */
    public static List<CapturedPacket> read(Path path) throws IOException, CaptureException {
        return parse(Files.readAllBytes(path), path.toString());
    }

    /** Parses capture bytes; {@code name} names the capture in errors. */
    public static List<CapturedPacket> parse(byte[] bytes, String name) throws CaptureException {
        if (bytes.length < 4) {
            throw new CaptureException(name + ": " + bytes.length + " bytes is too short for a capture");
        }
        int magic = ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        return switch (magic) {
            case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1 -> pcap(bytes, name);
            case 0x0a0d0d0a -> pcapng(bytes, name);
            default -> throw new CaptureException(name + ": not a pcap or pcapng capture (magic 0x"
                    + Integer.toHexString(magic) + ")");
        };
    }

    private static List<CapturedPacket> pcap(byte[] bytes, String name) throws CaptureException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
        boolean big = magic == 0xa1b2c3d4 || magic == 0xa1b23c4d;
        boolean nanos = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
        b.order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 24) {
            throw new CaptureException(name + ": pcap header truncated (" + bytes.length + " of 24 bytes)");
        }
        int linkType = b.getInt(20) & 0x0fffffff;
        if (linkType != ETHERNET) {
            throw new CaptureException(name + ": link type " + linkType + " is not Ethernet (1); replay needs Ethernet frames");
        }
        List<CapturedPacket> packets = new ArrayList<>();
        int at = 24;
        while (at < bytes.length) {
            int record = packets.size() + 1;
            if (at + 16 > bytes.length) {
                throw new CaptureException(name + ": record " + record + " at byte " + at + ": header truncated");
            }
            long seconds = Integer.toUnsignedLong(b.getInt(at));
            long fraction = Integer.toUnsignedLong(b.getInt(at + 4));
            int captured = b.getInt(at + 8);
            int original = b.getInt(at + 12);
            if (captured < 0 || captured > MAX_PACKET) {
                throw new CaptureException(name + ": record " + record + " at byte " + at + ": captured length "
                        + Integer.toUnsignedString(captured) + " is not a packet length");
            }
            if (at + 16L + captured > bytes.length) {
                throw new CaptureException(name + ": record " + record + " at byte " + at + ": " + captured
                        + " bytes of packet data announced, " + (bytes.length - at - 16) + " present");
            }
            byte[] data = new byte[captured];
            System.arraycopy(bytes, at + 16, data, 0, captured);
            packets.add(new CapturedPacket(seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000), data,
                    Math.max(original, captured)));
            at += 16 + captured;
        }
        return packets;
    }

    private static List<CapturedPacket> pcapng(byte[] bytes, String name) throws CaptureException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        List<CapturedPacket> packets = new ArrayList<>();
        Map<Integer, long[]> interfaces = new HashMap<>(); // id -> {link type, ticks per second}
        int at = 0;
        int block = 0;
        while (at < bytes.length) {
            block++;
            if (at + 12 > bytes.length) {
                throw new CaptureException(name + ": block " + block + " at byte " + at + ": header truncated");
            }
            int type = b.order(ByteOrder.LITTLE_ENDIAN).getInt(at);
            if (type == 0x0a0d0d0a) { // section header: its byte-order magic sets the order of the section
                int bom = b.order(ByteOrder.LITTLE_ENDIAN).getInt(at + 8);
                if (bom == 0x1a2b3c4d) {
                    b.order(ByteOrder.LITTLE_ENDIAN);
                } else if (bom == 0x4d3c2b1a) {
                    b.order(ByteOrder.BIG_ENDIAN);
                } else {
                    throw new CaptureException(name + ": block " + block + " at byte " + at + ": bad byte-order magic");
                }
                interfaces.clear();
            }
            type = b.getInt(at);
            int length = b.getInt(at + 4);
            if (length < 12 || length % 4 != 0 || at + (long) length > bytes.length) {
                throw new CaptureException(name + ": block " + block + " at byte " + at + ": length " + length
                        + " does not fit the capture");
            }
            switch (type) {
                case 1 -> { // interface description
                    int linkType = b.getShort(at + 8) & 0xffff;
                    interfaces.put(interfaces.size(), new long[] {linkType, resolution(b, at, length)});
                }
                case 6, 3 -> { // enhanced packet, simple packet
                    int iface = type == 6 ? b.getInt(at + 8) : 0;
                    long[] description = interfaces.get(iface);
                    if (description == null) {
                        throw new CaptureException(name + ": block " + block + " at byte " + at
                                + ": packet of interface " + iface + ", which no interface block describes");
                    }
                    if (description[0] != ETHERNET) {
                        throw new CaptureException(name + ": block " + block + " at byte " + at + ": link type "
                                + description[0] + " is not Ethernet (1); replay needs Ethernet frames");
                    }
                    int header = type == 6 ? 28 : 12;
                    int captured = type == 6 ? b.getInt(at + 20) : length - 16;
                    int original = type == 6 ? b.getInt(at + 24) : b.getInt(at + 8);
                    if (captured < 0 || captured > MAX_PACKET || header + captured + 4 > length) {
                        throw new CaptureException(name + ": block " + block + " at byte " + at + ": captured length "
                                + Integer.toUnsignedString(captured) + " does not fit the block of " + length + " bytes");
                    }
                    long time = 0;
                    if (type == 6) {
                        long ticks = (Integer.toUnsignedLong(b.getInt(at + 12)) << 32) | Integer.toUnsignedLong(b.getInt(at + 16));
                        long perSecond = description[1];
                        time = (ticks / perSecond) * 1_000_000_000L + (ticks % perSecond) * 1_000_000_000L / perSecond;
                    }
                    byte[] data = new byte[captured];
                    System.arraycopy(bytes, at + header, data, 0, captured);
                    packets.add(new CapturedPacket(time, data, Math.max(original, captured)));
                }
                default -> {
                    // statistics, name resolution, custom blocks: nothing a replay needs
                }
            }
            at += length;
        }
        return packets;
    }

    /** Ticks per second of an interface: its if_tsresol option, else microseconds. */
    private static long resolution(ByteBuffer b, int at, int length) {
        int option = at + 16;
        while (option + 4 <= at + length - 4) {
            int code = b.getShort(option) & 0xffff;
            int size = b.getShort(option + 2) & 0xffff;
            if (code == 0) {
                break;
            }
            if (code == 9 && size >= 1) { // if_tsresol
                int v = b.get(option + 4) & 0xff;
                return (v & 0x80) != 0 ? 1L << (v & 0x7f) : pow10(v & 0x7f);
            }
            option += 4 + ((size + 3) & ~3);
        }
        return 1_000_000;
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < Math.min(n, 18); i++) {
            v *= 10;
        }
        return v;
    }
}
