/**
 * Maps as the VM models them, by kernel map type: arrays and hash tables (plain, per-CPU, LRU), LPM tries,
 * program arrays (tail calls), ring buffers and perf event arrays (records captured), and redirect maps
 * (devmap, cpumap, xskmap: the target is recorded). Values live in {@link io.bpfstore.vm.memory.Region}s, so
 * the pointer a lookup returns is bounds-checked like any other.
 *
 * <p>Hash tables are preallocated, as the kernel's are by default: a full table refuses an insert with
 * {@code -E2BIG}, while an LRU table evicts its least recently used entry.
 */
package io.bpfstore.vm.maps;
