package io.bpfstore.kernel;

import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Libc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumer side of a {@code BPF_MAP_TYPE_RINGBUF} map, as libbpf's {@code ring_buffer__consume} reads it: the
 * consumer position page mapped read-write, the producer position page and the data pages mapped read-only (the
 * kernel maps the data twice in a row, so a record that wraps around is contiguous). Each record has an 8-byte header
 * (length with the busy and discard bits, page offset); a busy record ends the read, a discarded one is skipped, and
 * the consumer position is advanced past every record read so the kernel can reuse the space. The map's fd polls
 * readable when a record is submitted while the consumer has caught up.
 *
 * <pre>{@code
 * try (BpfMap map = BpfMap.openPinned(pin); RingBufferReader ring = RingBufferReader.open(map)) {
 *     for (MapRecord record : ring.poll()) { ... }
 * }
 * }</pre>
 */
public final class RingBufferReader implements MapRecordReader {
    /** {@code BPF_MAP_TYPE_RINGBUF}'s number (the map type this reader reads). */
    public static final int TYPE = MapType.RINGBUF.number();
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    private static final int HEADER = 8;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final String name;
    private final BpfMap map;
    private final MemorySegment consumer;
    private final MemorySegment producer;
    private final long page;
    private final long mask;

    private RingBufferReader(String name, BpfMap map, MemorySegment consumer, MemorySegment producer, long page,
                             long size) {
        this.name = name;
        this.map = map;
        this.consumer = consumer;
        this.producer = producer;
        this.page = page;
        this.mask = size - 1;
    }

    /**
     * Maps the ring buffer {@code map} for reading (the reader holds its own fd of the map, for waiting).
     *
     * @throws BpfException when the map is no ring buffer or the kernel refuses the mapping
     */
    public static RingBufferReader open(BpfMap map) {
        MapInfo info = map.info();
        if (info.typeNumber() != TYPE) {
            throw new BpfException("ring buffer " + info.name(), Errno.EINVAL.number(), "map " + info.id() + " is a "
                    + info.typeName() + ", not a ringbuf", "");
        }
        long size = Integer.toUnsignedLong(info.maxEntries());
        long page = Libc.pageSize();
        BpfMap own = BpfMap.fromId(info.id());
        MemorySegment consumer = null;
        try {
            consumer = MappedPages.map(page, Libc.PROT_READ | Libc.PROT_WRITE, own.fd().value(), 0,
                    "ring buffer " + info.name());
            MemorySegment producer = MappedPages.map(page + 2 * size, Libc.PROT_READ, own.fd().value(), page,
                    "ring buffer " + info.name());
            return new RingBufferReader(info.name(), own, consumer, producer, page, size);
        } catch (RuntimeException e) {
            if (consumer != null) {
                Libc.munmap(consumer);
            }
            own.close();
            throw e;
        }
    }

    @Override
    public List<MapRecord> poll() {
        List<MapRecord> out = new ArrayList<>();
        long cons = (long) LONG.getAcquire(consumer, 0L);
        long prod = (long) LONG.getAcquire(producer, 0L);
        while (cons < prod) {
            long at = page + (cons & mask);
            int header = (int) INT.getAcquire(producer, at);
            if ((header & BUSY) != 0) {
                break; // reserved, not yet submitted: the rest waits for the next poll
            }
            int length = header & ~(BUSY | DISCARD);
            if ((header & DISCARD) == 0) {
                out.add(new MapRecord(name, -1, producer.asSlice(at + HEADER, length).toArray(ValueLayout.JAVA_BYTE), 0));
            }
            cons += (length + HEADER + 7) & ~7L;
            LONG.setRelease(consumer, 0L, cons);
        }
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int[] wakeupFds() {
        return new int[] {map.fd().value()};
    }

    @Override
    public void close() {
        Libc.munmap(producer);
        Libc.munmap(consumer);
        map.close();
    }
}
