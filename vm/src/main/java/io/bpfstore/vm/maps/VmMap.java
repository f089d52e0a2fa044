package io.bpfstore.vm.maps;

import io.bpfstore.vm.memory.AddressSpace;
import java.util.Map;

/**
 * One map of a run. Key-value maps answer lookups with the address of the value (0 when absent), as
 * {@code bpf_map_lookup_elem} does; the others are used through their own helpers.
 */
public sealed interface VmMap permits VmMap.KeyValue, ProgramArray, RedirectMap, EventOutput {
    /** The map's name in its object. */
    String name();

    /** {@code BPF_ANY}, {@code BPF_NOEXIST}, {@code BPF_EXIST}: update flags. */
    long BPF_ANY = 0, BPF_NOEXIST = 1, BPF_EXIST = 2;

    /** A map whose values programs address directly: lookup, update, delete. */
    sealed interface KeyValue extends VmMap permits ArrayMap, HashTable, LpmTrie {
        /** Key size in bytes. */
        int keySize();

        /** Value size in bytes. */
        int valueSize();

        /** Address of the value for {@code key} (the current CPU's, for per-CPU maps), or 0. */
        long lookup(byte[] key);

        /** {@code bpf_map_update_elem}: 0 or a negative errno. */
        long update(byte[] key, byte[] value, long flags);

        /** {@code bpf_map_delete_elem}: 0 or a negative errno. */
        long delete(byte[] key);

        /** Every entry with its values, one per CPU (a single one for maps that are not per-CPU). */
        Map<MapKey, java.util.List<byte[]>> entries();

        /** Maps the value storage into {@code memory}; called once when the map joins a run. */
        void attach(AddressSpace memory);
    }
}
