package io.bpfstore.vm;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Seeded packet generator for differential tests: random bytes, and well-formed Ethernet (with and without a
 * VLAN tag) carrying IPv4 or IPv6 with TCP, UDP, ICMP or ICMPv6, with random fields and some truncated.
 */
final class Packets {
    private final SplittableRandom random;

    Packets(long seed) {
        random = new SplittableRandom(seed);
    }

    /** The next packet: 14 to 1514 bytes (XDP's test run needs at least an Ethernet header). */
    byte[] next() {
        int kind = random.nextInt(10);
        byte[] packet = kind == 0 ? randomBytes(14 + random.nextInt(200)) : wellFormed();
        if (random.nextInt(8) == 0 && packet.length > 15) { // truncated somewhere past the Ethernet header
            byte[] cut = new byte[14 + random.nextInt(packet.length - 14)];
            System.arraycopy(packet, 0, cut, 0, cut.length);
            return cut;
        }
        return packet;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private byte[] wellFormed() {
        boolean v6 = random.nextInt(3) == 0;
        boolean vlan = random.nextInt(6) == 0;
        int proto = switch (random.nextInt(4)) {
            case 0 -> 6;
            case 1 -> 17;
            case 2 -> v6 ? 58 : 1;
            default -> random.nextInt(256);
        };
        int l4 = switch (proto) {
            case 6 -> 20;
            case 17 -> 8;
            default -> 8;
        };
        int payload = random.nextInt(64);
        int l3 = v6 ? 40 : 20;
        ByteBuffer b = ByteBuffer.allocate(14 + (vlan ? 4 : 0) + l3 + l4 + payload);
        b.put(randomBytes(12));
        if (vlan) {
            b.putShort((short) 0x8100).putShort((short) random.nextInt(4096));
        }
        b.putShort((short) (v6 ? 0x86dd : 0x0800));
        if (v6) {
            b.putInt(0x60000000).putShort((short) (l4 + payload)).put((byte) proto).put((byte) 64);
            b.put(smallAddresses(32));
        } else {
            b.put((byte) 0x45).put((byte) 0).putShort((short) (l3 + l4 + payload)).putInt(random.nextInt())
                    .put((byte) 64).put((byte) proto).putShort((short) 0);
            b.put(smallAddresses(8));
        }
        byte[] l4bytes = randomBytes(l4);
        if (proto == 6 || proto == 17) { // ports from a small set, so port rules match now and then
            int[] ports = {22, 53, 80, 443, 8080, random.nextInt(65536)};
            int dport = ports[random.nextInt(ports.length)];
            l4bytes[2] = (byte) (dport >> 8);
            l4bytes[3] = (byte) dport;
        }
        if (proto == 1 || proto == 58) { // ICMP echo requests now and then
            l4bytes[0] = (byte) (random.nextBoolean() ? (proto == 1 ? 8 : 128) : random.nextInt(256));
        }
        b.put(l4bytes);
        b.put(randomBytes(payload));
        return b.array();
    }

    /** Addresses drawn from a few values, so address rules match now and then. */
    private byte[] smallAddresses(int n) {
        byte[] b = randomBytes(n);
        if (random.nextBoolean()) {
            for (int i = 0; i < n; i++) {
                b[i] = (byte) (i % 4 == 0 ? 10 : (random.nextInt(3)));
            }
        }
        return b;
    }
}
