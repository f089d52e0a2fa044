package io.bpfstore.vm.maps;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code RINGBUF} and {@code PERF_EVENT_ARRAY}: the records programs emit, captured in order for the replay's
 * report instead of being read by a consumer.
 */
public final class EventOutput implements VmMap {
    private final String name;
    private final long capacity;
    private final List<byte[]> records = new ArrayList<>();
    private long dropped;

    /** @param capacity bytes a ring buffer holds (records beyond it are dropped, as a full ring buffer does) */
    public EventOutput(String name, long capacity) {
        this.name = name;
        this.capacity = capacity;
    }

    @Override
    public String name() {
        return name;
    }

    /** Captures one record; false (and counted as dropped) when the buffer would overflow. */
    public boolean emit(byte[] record) {
        long used = records.stream().mapToLong(r -> r.length + 8L).sum();
        if (used + record.length + 8 > capacity) {
            dropped++;
            return false;
        }
        records.add(record.clone());
        return true;
    }

    /** The records captured so far. */
    public List<byte[]> records() {
        return List.copyOf(records);
    }

    /** Records dropped because the buffer was full. */
    public long dropped() {
        return dropped;
    }
}
