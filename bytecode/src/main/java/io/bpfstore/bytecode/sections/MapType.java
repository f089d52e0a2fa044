package io.bpfstore.bytecode.sections;

import java.util.Optional;

/**
 * The kernel's map types ({@code enum bpf_map_type}), with the kernel's number and the lower-case name that
 * {@code bpftool} and libbpf ({@code libbpf_bpf_map_type_str}) print: the constant's own name, lower-cased
 * (one rule for the three kernel enums, applied by their shared lookup table).
 *
 * <p>Complete as of kernel 6.18 (checked against the running kernel's BTF by the tests), plus
 * {@link #INSN_ARRAY}, which libbpf 1.7 knows. The kernel also has two aliases, {@code
 * BPF_MAP_TYPE_CGROUP_STORAGE_DEPRECATED} (19) and {@code BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE_DEPRECATED} (21),
 * which are the same numbers as {@link #CGROUP_STORAGE} and {@link #PERCPU_CGROUP_STORAGE}; one number has one
 * constant here.
 */
public enum MapType {
    /** {@code BPF_MAP_TYPE_UNSPEC}. */
    UNSPEC(0),
    /** {@code BPF_MAP_TYPE_HASH}. */
    HASH(1),
    /** {@code BPF_MAP_TYPE_ARRAY}. */
    ARRAY(2),
    /** {@code BPF_MAP_TYPE_PROG_ARRAY}. */
    PROG_ARRAY(3),
    /** {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}. */
    PERF_EVENT_ARRAY(4),
    /** {@code BPF_MAP_TYPE_PERCPU_HASH}. */
    PERCPU_HASH(5),
    /** {@code BPF_MAP_TYPE_PERCPU_ARRAY}. */
    PERCPU_ARRAY(6),
    /** {@code BPF_MAP_TYPE_STACK_TRACE}. */
    STACK_TRACE(7),
    /** {@code BPF_MAP_TYPE_CGROUP_ARRAY}. */
    CGROUP_ARRAY(8),
    /** {@code BPF_MAP_TYPE_LRU_HASH}. */
    LRU_HASH(9),
    /** {@code BPF_MAP_TYPE_LRU_PERCPU_HASH}. */
    LRU_PERCPU_HASH(10),
    /** {@code BPF_MAP_TYPE_LPM_TRIE}. */
    LPM_TRIE(11),
    /** {@code BPF_MAP_TYPE_ARRAY_OF_MAPS}. */
    ARRAY_OF_MAPS(12),
    /** {@code BPF_MAP_TYPE_HASH_OF_MAPS}. */
    HASH_OF_MAPS(13),
    /** {@code BPF_MAP_TYPE_DEVMAP}. */
    DEVMAP(14),
    /** {@code BPF_MAP_TYPE_SOCKMAP}. */
    SOCKMAP(15),
    /** {@code BPF_MAP_TYPE_CPUMAP}. */
    CPUMAP(16),
    /** {@code BPF_MAP_TYPE_XSKMAP}. */
    XSKMAP(17),
    /** {@code BPF_MAP_TYPE_SOCKHASH}. */
    SOCKHASH(18),
    /** {@code BPF_MAP_TYPE_CGROUP_STORAGE}. */
    CGROUP_STORAGE(19),
    /** {@code BPF_MAP_TYPE_REUSEPORT_SOCKARRAY}. */
    REUSEPORT_SOCKARRAY(20),
    /** {@code BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE}. */
    PERCPU_CGROUP_STORAGE(21),
    /** {@code BPF_MAP_TYPE_QUEUE}. */
    QUEUE(22),
    /** {@code BPF_MAP_TYPE_STACK}. */
    STACK(23),
    /** {@code BPF_MAP_TYPE_SK_STORAGE}. */
    SK_STORAGE(24),
    /** {@code BPF_MAP_TYPE_DEVMAP_HASH}. */
    DEVMAP_HASH(25),
    /** {@code BPF_MAP_TYPE_STRUCT_OPS}. */
    STRUCT_OPS(26),
    /** {@code BPF_MAP_TYPE_RINGBUF}. */
    RINGBUF(27),
    /** {@code BPF_MAP_TYPE_INODE_STORAGE}. */
    INODE_STORAGE(28),
    /** {@code BPF_MAP_TYPE_TASK_STORAGE}. */
    TASK_STORAGE(29),
    /** {@code BPF_MAP_TYPE_BLOOM_FILTER}. */
    BLOOM_FILTER(30),
    /** {@code BPF_MAP_TYPE_USER_RINGBUF}. */
    USER_RINGBUF(31),
    /** {@code BPF_MAP_TYPE_CGRP_STORAGE}. */
    CGRP_STORAGE(32),
    /** {@code BPF_MAP_TYPE_ARENA}. */
    ARENA(33),
    /** {@code BPF_MAP_TYPE_INSN_ARRAY}: instruction offsets for indirect jumps (after kernel 6.18; libbpf 1.7). */
    INSN_ARRAY(34);

    private static final KernelEnumIndex<MapType> INDEX = new KernelEnumIndex<>(values(), MapType::number);

    private final int number;

    MapType(int number) {
        this.number = number;
    }

    /** The kernel's number, as passed in {@code bpf_attr.map_type}. */
    public int number() {
        return number;
    }

    /** The name {@code bpftool map show} prints, e.g. {@code percpu_array}. */
    public String bpftoolName() {
        return INDEX.name(this);
    }

    /** The kernel's constant name, e.g. {@code BPF_MAP_TYPE_HASH}. */
    public String kernelName() {
        return "BPF_MAP_TYPE_" + name();
    }

    /** The map type with this kernel number, or empty for a number newer than this table (or invalid). */
    public static Optional<MapType> fromNumber(long number) {
        return INDEX.byNumber(number);
    }

    /** The map type with this {@code bpftool} name (e.g. {@code ringbuf}), or empty. */
    public static Optional<MapType> fromBpftoolName(String name) {
        return INDEX.byName(name);
    }

    /** The name of kernel number {@code number} ({@link #bpftoolName()}), or the number itself when it is unknown here. */
    public static String nameOf(long number) {
        return INDEX.nameOf(number);
    }
}
