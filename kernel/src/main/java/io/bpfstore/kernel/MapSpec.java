package io.bpfstore.kernel;

import io.bpfstore.bytecode.sections.MapType;
import java.util.Objects;

/**
 * What to create: the parameters of BPF_MAP_CREATE.
 *
 * @param name        up to 15 characters of [A-Za-z0-9_.]; empty for none
 * @param type        the map type
 * @param keySize     key size in bytes (0 for queues, stacks, ring buffers, bloom filters)
 * @param valueSize   value size in bytes (per CPU for per-CPU maps)
 * @param maxEntries  capacity (ring buffers: bytes, a power-of-two multiple of the page size)
 * @param flags       map_flags (BPF_F_NO_PREALLOC = 1, BPF_F_RDONLY_PROG = 0x80, BPF_F_MMAPABLE = 0x400, ...)
 * @param mapExtra    map_extra (bloom filter: number of hashes; arena: address), normally 0
 * @param innerMapFd  for map-in-map types, the fd of a template inner map; -1 otherwise
 */
public record MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags,
                      long mapExtra, int innerMapFd) {

    /** Validates the name and sizes. */
    public MapSpec {
        Objects.requireNonNull(type, "type");
        Names.check("map", Objects.requireNonNull(name, "name"));
        if (keySize < 0 || valueSize < 0 || maxEntries < 0) {
            throw new IllegalArgumentException("map \"" + name + "\": negative size (key " + keySize + ", value "
                    + valueSize + ", max_entries " + maxEntries + ")");
        }
    }

    /** A map without flags. */
    public static MapSpec of(String name, MapType type, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, 0, 0, -1);
    }

    /** This spec with other flags. */
    public MapSpec withFlags(int newFlags) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, newFlags, mapExtra, innerMapFd);
    }

    /** This spec with a template inner map (for array_of_maps/hash_of_maps). */
    public MapSpec withInnerMap(BpfMap inner) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, flags, mapExtra, inner.fd().value());
    }
}
