package io.bpfstore.kernel.testing;

import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.PossibleCpus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads 64-bit counters out of map values, summing the per-CPU slots of per-CPU maps. */
public final class Counters {
    private Counters() {
    }

    /** The u32 key {@code key} in host order. */
    public static byte[] u32(int key) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(key).array();
    }

    /** The u64 at {@code offset} of the value under {@code key}, summed over CPUs; 0 if there is no value. */
    public static long sum(BpfMap map, byte[] key, int offset) {
        byte[] value = map.lookup(key).orElse(null);
        if (value == null) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
        if (!map.isPerCpu()) {
            return b.getLong(offset);
        }
        int stride = (map.info().valueSize() + 7) & ~7;
        long total = 0;
        for (int cpu = 0; cpu < PossibleCpus.count(); cpu++) {
            total += b.getLong(cpu * stride + offset);
        }
        return total;
    }
}
