package io.bpfstore.vm.maps;

import static io.bpfstore.vm.HelperErrno.E2BIG;
import static io.bpfstore.vm.HelperErrno.EEXIST;
import static io.bpfstore.vm.HelperErrno.EINVAL;

import io.bpfstore.vm.memory.AddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code BPF_MAP_TYPE_ARRAY} and {@code PERCPU_ARRAY}: every index exists, zeroed; nothing can be deleted. */
public final class ArrayMap implements VmMap.KeyValue {
    private final String name;
    private final int valueSize;
    private final int maxEntries;
    private final int cpu;
    private final ValueStore values;

    /**
     * @param cpus number of value copies (1 for a plain array)
     * @param cpu  the CPU the run is on (whose copy a lookup returns)
     */
    public ArrayMap(String name, int valueSize, int maxEntries, int cpus, int cpu) {
        this.name = name;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.cpu = cpu;
        this.values = new ValueStore(name, maxEntries, valueSize, cpus);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int keySize() {
        return 4;
    }

    @Override
    public int valueSize() {
        return valueSize;
    }

    private long index(byte[] key) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    @Override
    public long lookup(byte[] key) {
        long i = index(key);
        return i < maxEntries ? values.address((int) i, cpu) : 0;
    }

    @Override
    public long update(byte[] key, byte[] value, long flags) {
        long i = index(key);
        if (i >= maxEntries) {
            return E2BIG;
        }
        if (flags == BPF_NOEXIST) {
            return EEXIST; // every element of an array exists
        }
        values.write((int) i, cpu, value);
        return 0;
    }

    @Override
    public long delete(byte[] key) {
        return EINVAL;
    }

    @Override
    public Map<MapKey, List<byte[]>> entries() {
        Map<MapKey, List<byte[]>> out = new LinkedHashMap<>();
        for (int i = 0; i < maxEntries; i++) {
            out.put(new MapKey(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(i).array()), values.read(i));
        }
        return out;
    }

    @Override
    public void attach(AddressSpace memory) {
        values.attach(memory);
    }
}
