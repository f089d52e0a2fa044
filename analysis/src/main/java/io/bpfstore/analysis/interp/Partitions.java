package io.bpfstore.analysis.interp;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded disjunction of states, one per partition key: the state type of a {@link PartitionedDomain}.
 *
 * @param byKey the states by their key
 * @param <S>   the state
 */
public record Partitions<S>(Map<List<?>, S> byKey) {
    /** Copies the map, keeping its order. */
    public Partitions {
        byKey = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
    }

    /** The states. */
    public Collection<S> states() {
        return byKey.values();
    }

    /** Number of partitions. */
    public int size() {
        return byKey.size();
    }
}
