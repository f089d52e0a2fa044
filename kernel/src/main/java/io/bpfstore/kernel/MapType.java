package io.bpfstore.kernel;

import java.util.Locale;
import java.util.Optional;

/**
 * Map types ({@code enum bpf_map_type}) as of kernel 6.18; aliases (the *_DEPRECATED names) are left out.
 * Names are the kernel's, lower-cased without the prefix, which is also how libbpf and bpftool print them.
 * A newer kernel may report numbers missing here: {@link #of} is empty for them and {@link #nameOf}
 * prints the number.
 */
public enum MapType {
    /** Map type {@code BPF_MAP_TYPE_HASH} (1). */
    HASH(1),
    /** Map type {@code BPF_MAP_TYPE_ARRAY} (2). */
    ARRAY(2),
    /** Map type {@code BPF_MAP_TYPE_PROG_ARRAY} (3). */
    PROG_ARRAY(3),
    /** Map type {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} (4). */
    PERF_EVENT_ARRAY(4),
    /** Map type {@code BPF_MAP_TYPE_PERCPU_HASH} (5). */
    PERCPU_HASH(5),
    /** Map type {@code BPF_MAP_TYPE_PERCPU_ARRAY} (6). */
    PERCPU_ARRAY(6),
    /** Map type {@code BPF_MAP_TYPE_STACK_TRACE} (7). */
    STACK_TRACE(7),
    /** Map type {@code BPF_MAP_TYPE_CGROUP_ARRAY} (8). */
    CGROUP_ARRAY(8),
    /** Map type {@code BPF_MAP_TYPE_LRU_HASH} (9). */
    LRU_HASH(9),
    /** Map type {@code BPF_MAP_TYPE_LRU_PERCPU_HASH} (10). */
    LRU_PERCPU_HASH(10),
    /** Map type {@code BPF_MAP_TYPE_LPM_TRIE} (11). */
    LPM_TRIE(11),
    /** Map type {@code BPF_MAP_TYPE_ARRAY_OF_MAPS} (12). */
    ARRAY_OF_MAPS(12),
    /** Map type {@code BPF_MAP_TYPE_HASH_OF_MAPS} (13). */
    HASH_OF_MAPS(13),
    /** Map type {@code BPF_MAP_TYPE_DEVMAP} (14). */
    DEVMAP(14),
    /** Map type {@code BPF_MAP_TYPE_SOCKMAP} (15). */
    SOCKMAP(15),
    /** Map type {@code BPF_MAP_TYPE_CPUMAP} (16). */
    CPUMAP(16),
    /** Map type {@code BPF_MAP_TYPE_XSKMAP} (17). */
    XSKMAP(17),
    /** Map type {@code BPF_MAP_TYPE_SOCKHASH} (18). */
    SOCKHASH(18),
    /** Map type {@code BPF_MAP_TYPE_CGROUP_STORAGE} (19). */
    CGROUP_STORAGE(19),
    /** Map type {@code BPF_MAP_TYPE_REUSEPORT_SOCKARRAY} (20). */
    REUSEPORT_SOCKARRAY(20),
    /** Map type {@code BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE} (21). */
    PERCPU_CGROUP_STORAGE(21),
    /** Map type {@code BPF_MAP_TYPE_QUEUE} (22). */
    QUEUE(22),
    /** Map type {@code BPF_MAP_TYPE_STACK} (23). */
    STACK(23),
    /** Map type {@code BPF_MAP_TYPE_SK_STORAGE} (24). */
    SK_STORAGE(24),
    /** Map type {@code BPF_MAP_TYPE_DEVMAP_HASH} (25). */
    DEVMAP_HASH(25),
    /** Map type {@code BPF_MAP_TYPE_STRUCT_OPS} (26). */
    STRUCT_OPS(26),
    /** Map type {@code BPF_MAP_TYPE_RINGBUF} (27). */
    RINGBUF(27),
    /** Map type {@code BPF_MAP_TYPE_INODE_STORAGE} (28). */
    INODE_STORAGE(28),
    /** Map type {@code BPF_MAP_TYPE_TASK_STORAGE} (29). */
    TASK_STORAGE(29),
    /** Map type {@code BPF_MAP_TYPE_BLOOM_FILTER} (30). */
    BLOOM_FILTER(30),
    /** Map type {@code BPF_MAP_TYPE_USER_RINGBUF} (31). */
    USER_RINGBUF(31),
    /** Map type {@code BPF_MAP_TYPE_CGRP_STORAGE} (32). */
    CGRP_STORAGE(32),
    /** Map type {@code BPF_MAP_TYPE_ARENA} (33). */
    ARENA(33);

    private static final MapType[] BY_NUMBER = new MapType[34];

    static {
        for (MapType t : values()) {
            BY_NUMBER[t.number] = t;
        }
    }

    private final int number;

    MapType(int number) {
        this.number = number;
    }

    /** The kernel's number. */
    public int number() {
        return number;
    }

    /** The name libbpf and bpftool use, e.g. {@code array}. */
    public String kernelName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant for a kernel number, empty if this build does not know it. */
    public static Optional<MapType> of(int number) {
        return number >= 0 && number < BY_NUMBER.length ? Optional.ofNullable(BY_NUMBER[number]) : Optional.empty();
    }

    /** The constant for a libbpf/bpftool name such as {@code array}. */
    public static Optional<MapType> named(String name) {
        for (MapType t : values()) {
            if (t.kernelName().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The name of a kernel number, or the number itself when this build does not know it. */
    public static String nameOf(int number) {
        return of(number).map(MapType::kernelName).orElse(Integer.toString(number));
    }
}
