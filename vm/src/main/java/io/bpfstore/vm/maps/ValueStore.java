package io.bpfstore.vm.maps;

import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.memory.Region;

/**
 * Preallocated value slots of a map, {@code cpus} copies each: slot {@code s} of CPU {@code c} starts at byte
 * {@code (s * cpus + c) * stride}. The stride is the value size rounded up to 8, as the kernel lays values out.
 */
final class ValueStore {
    private final int valueSize;
    private final int stride;
    private final int cpus;
    private final Region region;
    private long base;

    ValueStore(String name, int slots, int valueSize, int cpus) {
        this.valueSize = valueSize;
        this.stride = (valueSize + 7) & ~7;
        this.cpus = cpus;
        long bytes = (long) slots * cpus * stride;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("map " + name + " needs " + bytes + " bytes of values: too large for the VM");
        }
        this.region = new Region("map " + name + " values", new byte[(int) bytes], true);
    }

    void attach(AddressSpace memory) {
        base = memory.map(region);
    }

    private int offset(int slot, int cpu) {
        return (slot * cpus + cpu) * stride;
    }

    /** Address of slot {@code slot}'s value for {@code cpu}. */
    long address(int slot, int cpu) {
        if (base == 0) {
            throw new IllegalStateException("map values are not mapped into an address space yet");
        }
        return base + offset(slot, cpu);
    }

    /** Writes {@code value} to every CPU's copy of {@code slot} (an update from user space or a program). */
    void write(int slot, byte[] value) {
        for (int cpu = 0; cpu < cpus; cpu++) {
            System.arraycopy(value, 0, region.bytes(), offset(slot, cpu), valueSize);
        }
    }

    /** Writes one CPU's copy. */
    void write(int slot, int cpu, byte[] value) {
        System.arraycopy(value, 0, region.bytes(), offset(slot, cpu), valueSize);
    }

    /** Zeroes a slot. */
    void clear(int slot) {
        java.util.Arrays.fill(region.bytes(), offset(slot, 0), offset(slot, 0) + cpus * stride, (byte) 0);
    }

    /** Every CPU's copy of {@code slot}. */
    java.util.List<byte[]> read(int slot) {
        java.util.List<byte[]> values = new java.util.ArrayList<>(cpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            byte[] v = new byte[valueSize];
            System.arraycopy(region.bytes(), offset(slot, cpu), v, 0, valueSize);
            values.add(v);
        }
        return values;
    }
}
