package io.bpfstore.vm.maps;

import static io.bpfstore.vm.HelperErrno.E2BIG;
import static io.bpfstore.vm.HelperErrno.EEXIST;
import static io.bpfstore.vm.HelperErrno.ENOENT;

import io.bpfstore.vm.memory.AddressSpace;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code BPF_MAP_TYPE_HASH}, {@code PERCPU_HASH}, {@code LRU_HASH} and {@code LRU_PERCPU_HASH}: preallocated
 * slots; an LRU table evicts the least recently used entry when full, the others refuse with -E2BIG.
 */
public final class HashTable implements VmMap.KeyValue {
    private final String name;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private final int cpu;
    private final boolean lru;
    private final ValueStore values;
    private final LinkedHashMap<MapKey, Integer> slots;
    private final Deque<Integer> free = new ArrayDeque<>();

    /**
     * @param cpus number of value copies (1 unless per-CPU)
     * @param cpu  the CPU the run is on
     * @param lru  whether a full table evicts (LRU types)
     */
    public HashTable(String name, int keySize, int valueSize, int maxEntries, int cpus, int cpu, boolean lru) {
        this.name = name;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.cpu = cpu;
        this.lru = lru;
        this.values = new ValueStore(name, maxEntries, valueSize, cpus);
        this.slots = new LinkedHashMap<>(16, 0.75f, lru);
        for (int i = 0; i < maxEntries; i++) {
            free.add(i);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int keySize() {
        return keySize;
    }

    @Override
    public int valueSize() {
        return valueSize;
    }

    @Override
    public long lookup(byte[] key) {
        Integer slot = slots.get(MapKey.probe(key));
        return slot == null ? 0 : values.address(slot, cpu);
    }

    @Override
    public long update(byte[] key, byte[] value, long flags) {
        MapKey k = new MapKey(key);
        Integer slot = slots.get(k);
        if (slot != null) {
            if (flags == BPF_NOEXIST) {
                return EEXIST;
            }
            values.write(slot, cpu, value);
            return 0;
        }
        if (flags == BPF_EXIST) {
            return ENOENT;
        }
        if (free.isEmpty()) {
            if (!lru) {
                return E2BIG;
            }
            Map.Entry<MapKey, Integer> eldest = slots.entrySet().iterator().next();
            slots.remove(eldest.getKey());
            free.add(eldest.getValue());
        }
        int s = free.poll();
        values.clear(s);
        values.write(s, cpu, value); // a program writes its own CPU's copy; the others start zeroed
        slots.put(k, s);
        return 0;
    }

    @Override
    public long delete(byte[] key) {
        Integer slot = slots.remove(new MapKey(key));
        if (slot == null) {
            return ENOENT;
        }
        free.add(slot);
        return 0;
    }

    @Override
    public Map<MapKey, List<byte[]>> entries() {
        Map<MapKey, List<byte[]>> out = new LinkedHashMap<>();
        slots.forEach((k, s) -> out.put(k, values.read(s)));
        return out;
    }

    @Override
    public void attach(AddressSpace memory) {
        values.attach(memory);
    }

    /** Capacity. */
    public int maxEntries() {
        return maxEntries;
    }
}
