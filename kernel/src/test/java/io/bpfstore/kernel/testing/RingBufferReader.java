package io.bpfstore.kernel.testing;

import io.bpfstore.kernel.BpfMap;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the records of a BPF ring buffer map by mapping it into memory, as libbpf's ring_buffer does
 * (kernel/bpf/ringbuf.c): page 0 holds the consumer position (writable), page 1 the producer position,
 * then the data area, mapped twice in a row so that a record that wraps can be read in one piece. Each
 * record has an 8-byte header: length with the busy (bit 31) and discard (bit 30) flags, and a page offset.
 */
public final class RingBufferReader implements AutoCloseable {
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    private final MemorySegment consumer;
    private final MemorySegment producer;
    private final long size;
    private final long page;

    private RingBufferReader(MemorySegment consumer, MemorySegment producer, long size, long page) {
        this.consumer = consumer;
        this.producer = producer;
        this.size = size;
        this.page = page;
    }

    /** Maps the ring buffer {@code map} (its max_entries is the data size, a power-of-two number of pages). */
    public static RingBufferReader open(BpfMap map, long pageSize) throws Throwable {
        long size = Integer.toUnsignedLong(map.info().maxEntries());
        int fd = map.fd().value();
        MemorySegment consumer = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, pageSize, PROT_READ | PROT_WRITE,
                MAP_SHARED, fd, 0L);
        if (consumer.address() == -1L) {
            throw new AssertionError("mmap of the consumer page of " + map.describe() + " failed");
        }
        MemorySegment producer = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, pageSize + 2 * size, PROT_READ,
                MAP_SHARED, fd, pageSize);
        if (producer.address() == -1L) {
            int ignored = (int) MUNMAP.invokeExact(consumer, pageSize);
            throw new AssertionError("mmap of the producer pages of " + map.describe() + " failed");
        }
        return new RingBufferReader(consumer.reinterpret(pageSize), producer.reinterpret(pageSize + 2 * size), size, pageSize);
    }

    /** Every committed record not read yet, in order; advances the consumer position past them. */
    public List<byte[]> drain() {
        List<byte[]> records = new ArrayList<>();
        long consumed = consumer.get(ValueLayout.JAVA_LONG, 0);
        long produced = producer.get(ValueLayout.JAVA_LONG, 0);
        while (consumed < produced) {
            long at = page + (consumed & (size - 1));
            int header = producer.get(ValueLayout.JAVA_INT, at);
            if ((header & BUSY) != 0) {
                break; // reserved, not yet submitted
            }
            int length = header & ~(BUSY | DISCARD);
            if (length < 0 || length > size) {
                throw new AssertionError("ring buffer record length " + length + " outside a " + size + "-byte buffer");
            }
            if ((header & DISCARD) == 0) {
                records.add(producer.asSlice(at + 8, length).toArray(ValueLayout.JAVA_BYTE));
            }
            consumed += (length + 8 + 7) & ~7L;
            consumer.set(ValueLayout.JAVA_LONG, 0, consumed);
        }
        return records;
    }

    @Override
    public void close() {
        try {
            int a = (int) MUNMAP.invokeExact(consumer, page);
            int b = (int) MUNMAP.invokeExact(producer, page + 2 * size);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }
}
