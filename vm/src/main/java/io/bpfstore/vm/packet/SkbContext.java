package io.bpfstore.vm.packet;

import io.bpfstore.vm.memory.MemoryFault;
import io.bpfstore.vm.memory.Region;

/**
 * {@code struct __sk_buff} of one packet at a tc hook, as the kernel's {@code BPF_PROG_TEST_RUN} builds it for
 * a frame arriving on the loopback device: {@code data}, {@code data_end} and {@code data_meta} load as
 * pointers; {@code len}, {@code protocol} (as eth_type_trans sets it) and {@code ifindex} describe the packet;
 * the fields a tc program may write ({@code mark}, {@code priority}, {@code tc_index}, {@code cb[]},
 * {@code tc_classid}, {@code queue_mapping}, {@code tstamp}) keep what it wrote. There is no socket.
 */
public final class SkbContext extends Region {
    private static final int SIZE = 192;
    private final Packet packet;
    private final int ifindex;

    /** The context of {@code packet} on interface {@code ifindex}. */
    public SkbContext(Packet packet, int ifindex) {
        super("__sk_buff", new byte[SIZE], true);
        this.packet = packet;
        this.ifindex = ifindex;
    }

    /** Clears the writable fields for the next packet. */
    public void reset() {
        java.util.Arrays.fill(bytes(), (byte) 0);
    }

    private static boolean writable(long offset, int size) {
        long end = offset + size;
        return (offset >= 8 && end <= 12) // mark
                || (offset >= 12 && end <= 16) // queue_mapping
                || (offset >= 32 && end <= 36) // priority
                || (offset >= 44 && end <= 68) // tc_index, cb[5]
                || (offset >= 72 && end <= 76) // tc_classid
                || (offset >= 152 && end <= 160); // tstamp
    }

    @Override
    public long load(long offset, int size) {
        check(offset, size, false);
        if (writable(offset, size)) {
            return super.load(offset, size);
        }
        return switch ((int) offset) {
            case 0, 160 -> packet.length(); // len, wire_len
            case 4 -> packetType(packet);
            case 16 -> protocol(packet);
            case 40 -> ifindex;
            case 76 -> packet.data();
            case 80 -> packet.dataEnd();
            case 140 -> packet.dataMeta();
            case 20, 24, 28, 36, 68, 84, 88, 92, 96, 132, 136, 164, 176, 180 -> 0; // no VLAN offload, hash, socket, GSO
            default -> {
                if (offset >= 100 && offset < 132) {
                    yield 0; // remote_ip6, local_ip6: no socket
                }
                throw new MemoryFault("read of " + size + " bytes at offset " + offset + " of __sk_buff: no such field");
            }
        };
    }

    @Override
    public void store(long offset, int size, long value) {
        if (!writable(offset, size)) {
            throw new MemoryFault("write of " + size + " bytes at offset " + offset + " of __sk_buff: not a field tc "
                    + "programs may write");
        }
        super.store(offset, size, value);
    }

    /** skb->protocol after eth_type_trans, as the program reads it (network order in a host-order integer). */
    private static long protocol(Packet frame) {
        int type = frame.byteAt(12) << 8 | frame.byteAt(13);
        if (type < 0x600) { // an 802.3 length: raw IPX or 802.2 LLC
            type = frame.length() > 15 && frame.byteAt(14) == 0xff && frame.byteAt(15) == 0xff ? 0x0001 : 0x0004;
        }
        return Short.reverseBytes((short) type) & 0xffffL;
    }

    /** skb->pkt_type after eth_type_trans on a device whose address is all zeros (loopback). */
    private static long packetType(Packet frame) {
        if ((frame.byteAt(0) & 1) != 0) {
            boolean broadcast = true;
            for (int i = 0; i < 6; i++) {
                broadcast &= frame.byteAt(i) == 0xff;
            }
            return broadcast ? 1 : 2; // PACKET_BROADCAST, PACKET_MULTICAST
        }
        for (int i = 0; i < 6; i++) {
            if (frame.byteAt(i) != 0) {
                return 3; // PACKET_OTHERHOST
            }
        }
        return 0; // PACKET_HOST
    }
}
