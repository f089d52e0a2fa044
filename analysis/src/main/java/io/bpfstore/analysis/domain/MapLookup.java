package io.bpfstore.analysis.domain;

import java.util.List;

/**
 * A {@code bpf_map_lookup_elem} call: which map and what its key's bytes were, so that its NULL check becomes a
 * path condition ("source address in map deny_src_v4").
 *
 * @param map  the map's name
 * @param key  lane codes (see {@link Lanes}) of each key byte, in memory order
 * @param site where the call is
 */
public record MapLookup(String map, List<Integer> key, Site site) {
    /** Copies the key. */
    public MapLookup {
        key = List.copyOf(key);
    }

    /** Whether some key byte comes from the packet. */
    public boolean keyFromPacket() {
        return key.stream().anyMatch(Lanes::isPacket);
    }
}
