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

    /**
     * A state standing for both {@code a} and {@code b} whose keys differ only in their last fact, when one fact
     * can say exactly what the two last facts say together (e.g. {@code x == 1} and {@code x == 2} become
     * {@code x in {1, 2}}); empty when they cannot be united without loss.
     */
    default java.util.Optional<S> unite(S a, S b) {
        return java.util.Optional.empty();
    }

    /** Number of weakening levels {@link #weaken} knows; 0 by default. */
    default int weakenLevels() {
        return 0;
    }

    /**
     * {@code state} without the facts of its key that matter least, up to level {@code level} (1 drops the least
     * important kind of fact, higher levels more kinds). Applied when there are too many partitions, before any
     * key is cut; by default the state itself.
     */
    default S weaken(S state, int level) {
        return state;
    }

    /** {@code state} with its key cut to its first {@code length} facts, marked as coarsened. */
    S truncate(S state, int length);
}
