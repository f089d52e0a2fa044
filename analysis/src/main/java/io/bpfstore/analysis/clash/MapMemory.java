package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.sections.MapType;
import java.util.Optional;

/**
 * How much kernel memory a map takes, worked out the way the kernel's {@code map_mem_usage} callbacks count it
 * (what {@code bpftool map show} prints as "memlock"): the map's own struct, its buckets or slots, and its
 * preallocated elements. Maps that allocate elements as they fill ({@code BPF_F_NO_PREALLOC}, LPM tries, sockhash)
 * take little at load time but up to {@link Estimate#atMost()} when full; budgets use that figure.
 *
 * <p>The struct sizes are those of 6.x kernels (x86-64); the element header is {@code struct htab_elem}.
 */
final class MapMemory {
    /** {@code sizeof(struct bpf_array)} and the rest of what an array map counts besides its elements. */
    private static final long ARRAY_BASE = 312;
    /** {@code sizeof(struct bpf_htab)}. */
    private static final long HTAB_BASE = 832;
    /** {@code struct htab_elem} before the key. */
    private static final long HTAB_ELEM = 48;
    /** {@code struct bucket}: list head and lock. */
    private static final long BUCKET = 16;
    /** HASHTAB_MAP_LOCK_COUNT per-CPU lock counters of an int each. */
    private static final long HTAB_LOCKS = 8 * 4;
    /** {@code struct bpf_ringbuf_map} and the ring buffer's own header counted apart from its pages. */
    private static final long RINGBUF_BASE = 304;
    /** Meta pages of a ring buffer (consumer and producer positions). */
    private static final long RINGBUF_META_PAGES = 3;
    private static final long PAGE = 4096;
    /** {@code struct bpf_stab}. */
    private static final long SOCKMAP_BASE = 376;
    /** {@code struct bpf_shtab}. */
    private static final long SOCKHASH_BASE = 384;
    /** {@code BPF_F_NO_PREALLOC}. */
    private static final long NO_PREALLOC = 1;
    /** {@code BPF_F_MMAPABLE}. */
    private static final long MMAPABLE = 1 << 10;

    private MapMemory() {
    }

    /**
     * A map's memory.
     *
     * @param atLoad what it takes once created
     * @param atMost what it takes when full
     */
    record Estimate(long atLoad, long atMost) {
        /** Sums that overflowed (hostile sizes) count as the most there is. */
        Estimate {
            atLoad = atLoad < 0 ? Long.MAX_VALUE : atLoad;
            atMost = atMost < 0 ? Long.MAX_VALUE : atMost;
        }
    }

    /** The memory of {@code map} on a host with {@code cpus} possible CPUs. */
    static Estimate of(MapDefinition map, int cpus) {
        long key = roundUp8(map.keySize());
        long value = roundUp8(map.valueSize());
        long entries = Math.max(0, map.maxEntries());
        Optional<MapType> type = MapType.fromNumber(map.type());
        if (type.isEmpty()) {
            return fixed(ARRAY_BASE + sat(entries, key + value));
        }
        return switch (type.get()) {
            case ARRAY, CGROUP_ARRAY -> fixed(ARRAY_BASE + ((map.flags() & MMAPABLE) != 0
                    ? pageAlign(sat(entries, value)) : sat(entries, value)));
            case PERCPU_ARRAY -> fixed(ARRAY_BASE + sat(entries, 8) + sat(sat(entries, value), cpus));
            case PROG_ARRAY, PERF_EVENT_ARRAY, ARRAY_OF_MAPS -> fixed(ARRAY_BASE
                    + sat(entries == 0 && type.get() == MapType.PERF_EVENT_ARRAY ? cpus : entries, 8));
            case HASH, LRU_HASH, PERCPU_HASH, LRU_PERCPU_HASH, HASH_OF_MAPS -> hash(type.get(), map.flags(), key,
                    value, entries, cpus);
            case RINGBUF, USER_RINGBUF -> {
                long dataPages = Math.max(1, entries / PAGE);
                yield fixed(RINGBUF_BASE + (RINGBUF_META_PAGES + dataPages) * PAGE
                        + (RINGBUF_META_PAGES + 2 * dataPages) * 8);
            }
            case SOCKMAP -> fixed(SOCKMAP_BASE + sat(entries, 8));
            case SOCKHASH -> {
                long base = SOCKHASH_BASE + sat(roundUpPow2(entries), BUCKET);
                yield new Estimate(base, base + sat(entries, HTAB_ELEM + key));
            }
            case LPM_TRIE -> new Estimate(0, sat(entries, HTAB_ELEM + key + value));
            default -> fixed(ARRAY_BASE + sat(entries, key + value));
        };
    }

    private static Estimate hash(MapType type, long flags, long key, long value, long entries, int cpus) {
        boolean percpu = type == MapType.PERCPU_HASH || type == MapType.LRU_PERCPU_HASH;
        boolean lru = type == MapType.LRU_HASH || type == MapType.LRU_PERCPU_HASH;
        long elem = HTAB_ELEM + key + (percpu ? 8 : value);
        long base = HTAB_BASE + sat(roundUpPow2(entries), BUCKET) + HTAB_LOCKS * cpus;
        long perElement = elem + (percpu ? sat(value, cpus) : 0);
        if ((flags & NO_PREALLOC) != 0 && !lru) {
            return new Estimate(base, base + sat(entries, perElement));
        }
        // Preallocated: every element at load time, plus one spare per CPU (and its pointer) for plain hashes.
        long count = entries + (percpu || lru ? 0 : cpus);
        long total = base + sat(count, perElement) + (percpu || lru ? 0 : 8L * cpus);
        return fixed(total);
    }

    private static Estimate fixed(long bytes) {
        return new Estimate(bytes, bytes);
    }

    private static long roundUp8(long n) {
        return n <= 0 ? 0 : (n + 7) & ~7L;
    }

    private static long pageAlign(long n) {
        return (n + PAGE - 1) / PAGE * PAGE;
    }

    private static long roundUpPow2(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

    /** {@code a * b}, saturating at Long.MAX_VALUE (max_entries and sizes come from untrusted objects). */
    private static long sat(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
