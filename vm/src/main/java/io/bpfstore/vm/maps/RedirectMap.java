package io.bpfstore.vm.maps;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * {@code DEVMAP}, {@code DEVMAP_HASH}, {@code CPUMAP} and {@code XSKMAP}: where {@code bpf_redirect_map} sends a
 * packet. The VM sends nothing; it records the target (interface index, CPU or queue) the entry names.
 */
public final class RedirectMap implements VmMap {
    private final String name;
    private final String kind;
    private final Map<Long, Long> targets = new TreeMap<>();

    /** @param kind the map type's name (devmap, cpumap, xskmap), used in redirect records */
    public RedirectMap(String name, String kind) {
        this.name = name;
        this.kind = kind;
    }

    @Override
    public String name() {
        return name;
    }

    /** The map type's name. */
    public String kind() {
        return kind;
    }

    /** Sets entry {@code key} to {@code target}. */
    public void set(long key, long target) {
        targets.put(key, target);
    }

    /** The target of entry {@code key}, if set. */
    public OptionalLong target(long key) {
        Long t = targets.get(key);
        return t == null ? OptionalLong.empty() : OptionalLong.of(t);
    }
}
