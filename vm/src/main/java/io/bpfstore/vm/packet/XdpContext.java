package io.bpfstore.vm.packet;

import io.bpfstore.vm.memory.MemoryFault;
import io.bpfstore.vm.memory.Region;

/**
 * {@code struct xdp_md} of one packet. As the kernel rewrites them, loads of {@code data}, {@code data_end} and
 * {@code data_meta} give 64-bit pointers into the packet; the interface and queue fields give their numbers.
 * Programs may not write the context.
 */
public final class XdpContext extends Region {
    private final Packet packet;
    private final int ingressIfindex;
    private final int rxQueue;

    /** The context of {@code packet} arriving on interface {@code ingressIfindex}, queue {@code rxQueue}. */
    public XdpContext(Packet packet, int ingressIfindex, int rxQueue) {
        super("xdp_md", new byte[24], false);
        this.packet = packet;
        this.ingressIfindex = ingressIfindex;
        this.rxQueue = rxQueue;
    }

    @Override
    public long load(long offset, int size) {
        check(offset, size, false);
        if (size != 4) {
            throw new MemoryFault("read of " + size + " bytes at offset " + offset + " of xdp_md: its fields are 4 bytes");
        }
        return switch ((int) offset) {
            case 0 -> packet.data();
            case 4 -> packet.dataEnd();
            case 8 -> packet.dataMeta();
            case 12 -> ingressIfindex;
            case 16 -> rxQueue;
            case 20 -> 0; // egress_ifindex: only set for devmap programs
            default -> throw new MemoryFault("read at offset " + offset + " of xdp_md: not a field boundary");
        };
    }
}
