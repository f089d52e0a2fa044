package io.bpfstore.analysis.domain;

import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.sections.ProgramType;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link RegionDomain} must know of the program beyond its code: the context layout of its type, the maps
 * it may name and the byte order of the target.
 *
 * @param type  the program type, empty when the section name does not tell
 * @param maps  map definitions by name
 * @param order the object's byte order (the order of the machine it targets)
 */
public record ProgramContext(Optional<ProgramType> type, Map<String, MapDefinition> maps, ByteOrder order) {
    /** Copies. */
    public ProgramContext {
        maps = Map.copyOf(maps);
    }

    /** Offset of the packet-data pointer in the context structure, where the type has direct packet access. */
    public OptionalInt dataOffset() {
        return switch (type.orElse(ProgramType.UNSPEC)) {
            case XDP -> OptionalInt.of(0);
            case SK_MSG -> OptionalInt.of(0);
            case SCHED_CLS, SCHED_ACT, CGROUP_SKB, SOCKET_FILTER, LWT_IN, LWT_OUT, LWT_XMIT, SK_SKB ->
                    OptionalInt.of(76);
            default -> OptionalInt.empty();
        };
    }

    /** Offset of the packet-end pointer in the context structure. */
    public OptionalInt dataEndOffset() {
        return switch (type.orElse(ProgramType.UNSPEC)) {
            case XDP -> OptionalInt.of(4);
            case SK_MSG -> OptionalInt.of(8);
            case SCHED_CLS, SCHED_ACT, CGROUP_SKB, SOCKET_FILTER, LWT_IN, LWT_OUT, LWT_XMIT, SK_SKB ->
                    OptionalInt.of(80);
            default -> OptionalInt.empty();
        };
    }

    /** Key size of map {@code name}, 0 when unknown. */
    public int keySize(String name) {
        MapDefinition d = maps.get(name);
        return d == null || d.keySize() > 512 ? 0 : (int) d.keySize();
    }
}
