package io.bpfstore.vm.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * All regions a run can address. An address is {@code (id << 32) | offset}; id 0 is never used, so a NULL or a
 * small integer taken for a pointer faults instead of reading something.
 */
public final class AddressSpace {
    private final List<Region> regions = new ArrayList<>();
    private final java.util.ArrayDeque<Integer> freeIds = new java.util.ArrayDeque<>();

    /** Creates an empty space (id 0 reserved for NULL). */
    public AddressSpace() {
        regions.add(null);
    }

    /** Adds a region and returns the address of its offset 0. */
    public long map(Region region) {
        Integer id = freeIds.poll();
        if (id != null) {
            regions.set(id, region);
            return (long) id << 32;
        }
        regions.add(region);
        return (long) (regions.size() - 1) << 32;
    }

    /** Removes the region at {@code base} (short-lived memory such as a ring buffer reservation); later accesses fault. */
    public void unmap(long base) {
        int id = (int) (base >>> 32);
        if (id > 0 && id < regions.size() && regions.get(id) != null) {
            regions.set(id, null);
            freeIds.add(id);
        }
    }

    /** The region an address points into. */
    public Region region(long address) {
        long id = address >>> 32;
        Region region = id < regions.size() ? regions.get((int) id) : null;
        if (region == null) {
            throw new MemoryFault("access through 0x" + Long.toHexString(address) + ", which points into no memory");
        }
        return region;
    }

    /** The offset part of an address. */
    public static long offset(long address) {
        return (int) address; // signed: a pointer moved below its region's start faults as negative
    }

    /** Reads {@code size} bytes at {@code address}, zero-extended. */
    public long load(long address, int size) {
        return region(address).load(offset(address), size);
    }

    /** Writes the low {@code size} bytes of {@code value} at {@code address}. */
    public void store(long address, int size, long value) {
        region(address).store(offset(address), size, value);
    }

    /** Copies {@code length} bytes out. */
    public byte[] read(long address, int length) {
        return region(address).read(offset(address), length);
    }

    /** Copies bytes in. */
    public void write(long address, byte[] data) {
        region(address).write(offset(address), data);
    }
}
