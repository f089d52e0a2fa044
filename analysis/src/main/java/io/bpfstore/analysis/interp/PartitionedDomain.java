package io.bpfstore.analysis.interp;

import io.bpfstore.analysis.cfg.Block;
import io.bpfstore.analysis.cfg.Edge;
import io.bpfstore.bytecode.asm.InstructionAt;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trace partitioning: lifts a domain to a disjunction of its states kept apart by a partition key (see
 * {@link Partitionable}), at most {@code limit} per block. Transfer and refinement apply to each partition (a
 * refinement may extend its key, so partitions split at conditional jumps); join merges partitions of equal key.
 * Beyond the limit, keys are cut to the longest common length that fits and their states joined. Widening first
 * widens per key; a partition set that keeps changing shape is collapsed to one partition so the chain is finite.
 *
 * @param <S> the inner state
 * @param <K> a key fact
 */
public final class PartitionedDomain<S, K> implements AbstractDomain<Partitions<S>> {
    private final AbstractDomain<S> inner;
    private final Partitionable<S, K> keys;
    private final int limit;

    /**
     * @param inner the domain of each partition
     * @param keys  how states are keyed and coarsened
     * @param limit most partitions kept per block
     */
    public PartitionedDomain(AbstractDomain<S> inner, Partitionable<S, K> keys, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("partition limit " + limit);
        }
        this.inner = inner;
        this.keys = keys;
        this.limit = limit;
    }

    @Override
    public Partitions<S> entry() {
        return of(List.of(inner.entry()));
    }

    @Override
    public Partitions<S> join(Partitions<S> a, Partitions<S> b) {
        Map<List<?>, S> m = new LinkedHashMap<>(a.byKey());
        b.byKey().forEach((k, s) -> m.merge(k, s, inner::join));
        return bound(m);
    }

    @Override
    public Partitions<S> widen(Partitions<S> older, Partitions<S> newer) {
        if (!older.byKey().keySet().containsAll(newer.byKey().keySet())) {
            // the key set still grows at a loop head: collapse, then widen the single partition
            S o = collapse(older), n = collapse(newer);
            return of(List.of(inner.widen(o, inner.join(o, n))));
        }
        Map<List<?>, S> m = new LinkedHashMap<>();
        older.byKey().forEach((k, s) -> {
            S n = newer.byKey().get(k);
            m.put(k, n == null ? s : inner.widen(s, n));
        });
        return new Partitions<>(m);
    }

    @Override
    public boolean leq(Partitions<S> a, Partitions<S> b) {
        for (Map.Entry<List<?>, S> e : a.byKey().entrySet()) {
            S other = b.byKey().get(e.getKey());
            if (other == null || !inner.leq(e.getValue(), other)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Optional<Partitions<S>> transfer(Partitions<S> state, Block block, InstructionAt instruction) {
        Map<List<?>, S> m = new LinkedHashMap<>();
        for (S s : state.states()) {
            inner.transfer(s, block, instruction).ifPresent(t -> m.merge(keys.key(t), t, inner::join));
        }
        return m.isEmpty() ? Optional.empty() : Optional.of(bound(m));
    }

    @Override
    public Optional<Partitions<S>> refine(Partitions<S> state, Block from, Edge edge) {
        Map<List<?>, S> m = new LinkedHashMap<>();
        for (S s : state.states()) {
            inner.refine(s, from, edge).ifPresent(t -> m.merge(keys.key(t), t, inner::join));
        }
        return m.isEmpty() ? Optional.empty() : Optional.of(bound(m));
    }

    /** All partitions joined into one, the key cut to what they share. */
    public S collapse(Partitions<S> p) {
        S joined = null;
        int common = p.states().stream().mapToInt(s -> keys.key(s).size()).min().orElse(0);
        for (S s : p.states()) {
            S t = keys.truncate(s, prefixShared(p, common));
            joined = joined == null ? t : inner.join(joined, t);
        }
        return joined;
    }

    private int prefixShared(Partitions<S> p, int max) {
        List<?> first = null;
        int len = max;
        for (S s : p.states()) {
            List<?> k = keys.key(s);
            if (first == null) {
                first = k;
                continue;
            }
            int i = 0;
            while (i < len && k.get(i).equals(first.get(i))) {
                i++;
            }
            len = i;
        }
        return len;
    }

    private Partitions<S> of(List<S> states) {
        Map<List<?>, S> m = new LinkedHashMap<>();
        for (S s : states) {
            m.merge(keys.key(s), s, inner::join);
        }
        return new Partitions<>(m);
    }

    /** Cuts keys to shorter prefixes until at most {@code limit} partitions remain. */
    private Partitions<S> bound(Map<List<?>, S> m) {
        if (m.size() <= limit) {
            return new Partitions<>(m);
        }
        int length = m.keySet().stream().mapToInt(List::size).max().orElse(0);
        Map<List<?>, S> cut = m;
        while (cut.size() > limit && length > 0) {
            length--;
            Map<List<?>, S> next = new LinkedHashMap<>();
            for (S s : m.values()) {
                S t = keys.key(s).size() > length ? keys.truncate(s, length) : s;
                next.merge(keys.key(t), t, inner::join);
            }
            cut = next;
        }
        return new Partitions<>(cut);
    }
}
