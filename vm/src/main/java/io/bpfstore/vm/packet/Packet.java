package io.bpfstore.vm.packet;

import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.memory.Region;

/**
 * One packet in a frame of {@link #FRAME_SIZE} bytes: {@link #HEADROOM} bytes before the data (where
 * {@code bpf_xdp_adjust_head} and {@code _meta} grow into), the data, and room after it up to the frame's end
 * minus {@link #TAILROOM} (what {@code bpf_xdp_adjust_tail} may grow into), as the kernel's XDP test run has it.
 * The program may address {@code [meta, end)}; {@code meta == data} when there is no metadata.
 */
public final class Packet {
    /** XDP_PACKET_HEADROOM. */
    public static final int HEADROOM = 256;
    /** A page, the frame size of the kernel's XDP test run. */
    public static final int FRAME_SIZE = 4096;
    /** What the kernel keeps free at a frame's end: SKB_DATA_ALIGN(sizeof(struct skb_shared_info)). */
    public static final int TAILROOM = 320;
    /** Room the kernel reserves at the frame's start for its {@code struct xdp_frame}. */
    static final int FRAME_HEADER = 40;
    /** The shortest packet an adjust may leave: an Ethernet header. */
    static final int ETH_HLEN = 14;

    private final Region region;
    private int meta;
    private int data;
    private int end;
    private long base;

    /** A packet holding a copy of {@code bytes}; at most FRAME_SIZE - HEADROOM - TAILROOM bytes. */
    public Packet(byte[] bytes) {
        region = new Region("packet", new byte[FRAME_SIZE], true);
        load(bytes);
    }

    /** Replaces the frame's content with a copy of {@code bytes}, as a new packet (reusing the frame). */
    public void load(byte[] bytes) {
        if (bytes.length > FRAME_SIZE - HEADROOM - TAILROOM) {
            throw new IllegalArgumentException("packet of " + bytes.length + " bytes is longer than an XDP frame holds ("
                    + (FRAME_SIZE - HEADROOM - TAILROOM) + ")");
        }
        java.util.Arrays.fill(region.bytes(), (byte) 0);
        System.arraycopy(bytes, 0, region.bytes(), HEADROOM, bytes.length);
        meta = data = HEADROOM;
        end = HEADROOM + bytes.length;
        region.window(meta, end);
    }

    /** Maps the frame into {@code memory}; call once before a run. */
    public void attach(AddressSpace memory) {
        base = memory.map(region);
    }

    /** Address of the first data byte. */
    public long data() {
        return base + data;
    }

    /** Address one past the last data byte. */
    public long dataEnd() {
        return base + end;
    }

    /** Address of the metadata (equal to {@link #data()} when there is none). */
    public long dataMeta() {
        return base + meta;
    }

    /** The packet's length now, from data to end. */
    public int length() {
        return end - data;
    }

    /** The packet's byte at {@code offset} from data, unsigned; {@code offset} must be below {@link #length()}. */
    public int byteAt(int offset) {
        if (offset < 0 || offset >= length()) {
            throw new IndexOutOfBoundsException("byte " + offset + " of a packet of " + length());
        }
        return region.bytes()[data + offset] & 0xff;
    }

    /** The packet's bytes now, from data to end. */
    public byte[] bytes() {
        byte[] out = new byte[end - data];
        System.arraycopy(region.bytes(), data, out, 0, out.length);
        return out;
    }

    /** The metadata's bytes now. */
    public byte[] metadata() {
        byte[] out = new byte[data - meta];
        System.arraycopy(region.bytes(), meta, out, 0, out.length);
        return out;
    }

    /** {@code bpf_xdp_adjust_head}: moves the data start by {@code delta} (negative grows the packet). */
    public long adjustHead(long delta) {
        long newData = data + delta;
        if (newData < FRAME_HEADER + (data - meta) || newData > end - ETH_HLEN) {
            return -22;
        }
        int shift = (int) delta;
        if (meta != data) { // the metadata moves with the data start
            System.arraycopy(region.bytes(), meta, region.bytes(), meta + shift, data - meta);
            meta += shift;
        } else {
            meta = (int) newData;
        }
        data = (int) newData;
        region.window(meta, end);
        return 0;
    }

    /** {@code bpf_xdp_adjust_tail}: moves the data end by {@code delta}. */
    public long adjustTail(long delta) {
        long newEnd = end + delta;
        if (newEnd > FRAME_SIZE - TAILROOM || newEnd < data + ETH_HLEN) {
            return -22;
        }
        if (delta > 0) {
            java.util.Arrays.fill(region.bytes(), end, (int) newEnd, (byte) 0); // grown bytes read as zero
        }
        end = (int) newEnd;
        region.window(meta, end);
        return 0;
    }

    /** {@code bpf_xdp_adjust_meta}: moves the metadata start by {@code delta}. */
    public long adjustMeta(long delta) {
        long newMeta = meta + delta;
        if (newMeta < FRAME_HEADER || newMeta > data || data - newMeta > 32 || (data - newMeta) % 4 != 0) {
            return -22;
        }
        meta = (int) newMeta;
        region.window(meta, end);
        return 0;
    }
}
