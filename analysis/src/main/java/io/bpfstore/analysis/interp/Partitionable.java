package io.bpfstore.analysis.interp;

import java.util.List;

/**
 * What {@link PartitionedDomain} needs to know of the states it keeps apart: each state carries a partition
 * key, a sequence of facts in the order the path established them (e.g. the branch conditions on packet
 * fields). States with equal keys are joined; when too many keys meet at one block, keys are cut to a common
 * prefix and the states joined, which weakens what is known but stays sound.
 *
 * @param <S> the state
 * @param <K> one fact of a key
 */
public interface Partitionable<S, K> {
    /** The key of {@code state}, oldest fact first. */
    List<K> key(S state);

    /** {@code state} with its key cut to its first {@code length} facts, marked as coarsened. */
    S truncate(S state, int length);
}
