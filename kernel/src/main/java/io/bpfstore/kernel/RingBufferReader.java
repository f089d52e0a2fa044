package io.bpfstore.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumer side of a {@code BPF_MAP_TYPE_RINGBUF} map, as libbpf's {@code ring_buffer__consume} reads it: the
 * consumer position page mapped read-write, the producer position page and the data pages mapped read-only (the
 * kernel maps the data twice in a row, so a record that wraps around is contiguous). Each record has an 8-byte header
 * (length with the busy and discard bits, page offset); a busy record ends the read, a discarded one is skipped, and
 * the consumer position is advanced past every record read so the kernel can reuse the space.
 *
 * <pre>{@code
 * try (BpfMap map = BpfMap.openPinned(pin); RingBufferReader ring = RingBufferReader.open(map)) {
 *     for (byte[] record : ring.poll()) { ... }
 * }
 * }</pre>
 */
public final class RingBufferReader implements AutoCloseable {
    /** {@code BPF_MAP_TYPE_RINGBUF}. */
    public static final int TYPE = 27;
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    private static final int HEADER = 8;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle GETPAGESIZE;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    static {
        Linker linker = Linker.nativeLinker();
        MMAP = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MUNMAP = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        GETPAGESIZE = linker.downcallHandle(linker.defaultLookup().find("getpagesize").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
    }

    private final String name;
    private final MemorySegment consumer;
    private final MemorySegment producer;
    private final long page;
    private final long mask;

    private RingBufferReader(String name, MemorySegment consumer, MemorySegment producer, long page, long size) {
        this.name = name;
        this.consumer = consumer;
        this.producer = producer;
        this.page = page;
        this.mask = size - 1;
    }

    /**
     * Maps the ring buffer {@code map} for reading (the map may be closed afterwards: the mappings hold it).
     *
     * @throws BpfException when the map is no ring buffer or the kernel refuses the mapping
     */
    public static RingBufferReader open(BpfMap map) {
        MapInfo info = map.info();
        if (info.typeNumber() != TYPE) {
            throw new BpfException("ring buffer " + info.name(), 22, "map " + info.id() + " is a " + info.typeName()
                    + ", not a ringbuf", "");
        }
        long size = Integer.toUnsignedLong(info.maxEntries());
        long page = pageSize();
        int fd = map.fd().value();
        MemorySegment consumer = mmap(page, PROT_READ | PROT_WRITE, fd, 0, info.name());
        MemorySegment producer;
        try {
            producer = mmap(page + 2 * size, PROT_READ, fd, page, info.name());
        } catch (BpfException e) {
            munmap(consumer);
            throw e;
        }
        return new RingBufferReader(info.name(), consumer, producer, page, size);
    }

    /** Every complete record written since the last poll, in order (each a copy); empty when there is none. */
    public List<byte[]> poll() {
        List<byte[]> out = new ArrayList<>();
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
                out.add(producer.asSlice(at + HEADER, length).toArray(ValueLayout.JAVA_BYTE));
            }
            cons += (length + HEADER + 7) & ~7L;
            LONG.setRelease(consumer, 0L, cons);
        }
        return out;
    }

    /** The map's name. */
    public String name() {
        return name;
    }

    @Override
    public void close() {
        munmap(producer);
        munmap(consumer);
    }

    private static MemorySegment mmap(long length, int prot, int fd, long offset, String what) {
        MemorySegment at;
        try {
            at = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, length, prot, MAP_SHARED, fd, offset);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap", t);
        }
        if (at.address() == -1L) {
            throw new BpfException("map ring buffer " + what, 1, "mmap of " + length + " bytes at offset " + offset
                    + " refused", "");
        }
        return at.reinterpret(length, Arena.global(), null);
    }

    private static void munmap(MemorySegment segment) {
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(segment.address()), segment.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("munmap", t);
        }
    }

    private static long pageSize() {
        try {
            return (int) GETPAGESIZE.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("getpagesize", t);
        }
    }
}
