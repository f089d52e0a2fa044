package io.bpfstore.analysis.interp;

import io.bpfstore.analysis.cfg.Block;
import io.bpfstore.analysis.cfg.Edge;
import io.bpfstore.bytecode.asm.InstructionAt;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trace partitioning: lifts a domain to a disjunction of its states kept apart by a partition key (see
 * {@link Partitionable}), at most {@code limit} per block. Transfer and refinement apply to each partition (a
 * refinement may extend its key, so partitions split at conditional jumps); join merges partitions of equal key.
 * Beyond the limit, weak facts ({@link Partitionable#weaken}) are dropped first; if that is not enough, keys are
 * cut, merging first the partitions that share the longest key prefix (they split latest), and their states
 * joined. Widening first
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
     * What the inner domain made of each partition state at each block and edge, by the state's identity: a block
     * is visited again whenever one of its partitions changes, and the others, unchanged, need not be transferred
     * again (the inner transfer and refinement are functions of their arguments).
     */
    private final Map<Block, Map<S, Optional<S>>> transferred = new IdentityHashMap<>();
    private final Map<Edge, Map<S, Optional<S>>> refined = new IdentityHashMap<>();

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
        return bound(unite(m));
    }

    /** Unites partitions whose keys differ only in their last fact, where the domain can say both in one. */
    private Map<List<?>, S> unite(Map<List<?>, S> m) {
        if (m.size() < 2) {
            return m;
        }
        Map<List<?>, List<S>> byPrefix = new LinkedHashMap<>();
        for (Map.Entry<List<?>, S> e : m.entrySet()) {
            List<?> k = e.getKey();
            if (!k.isEmpty()) {
                byPrefix.computeIfAbsent(k.subList(0, k.size() - 1), x -> new ArrayList<>()).add(e.getValue());
            }
        }
        boolean changed = false;
        Map<List<?>, S> out = new LinkedHashMap<>(m);
        for (List<S> group : byPrefix.values()) {
            if (group.size() < 2) {
                continue;
            }
            List<S> merged = new ArrayList<>();
            for (S s : group) {
                boolean done = false;
                for (int i = 0; i < merged.size() && !done; i++) {
                    java.util.Optional<S> u = keys.unite(merged.get(i), s);
                    if (u.isPresent()) {
                        merged.set(i, u.get());
                        done = true;
                    }
                }
                if (!done) {
                    merged.add(s);
                }
            }
            if (merged.size() < group.size()) {
                changed = true;
                for (S s : group) {
                    out.remove(keys.key(s));
                }
                for (S s : merged) {
                    out.merge(keys.key(s), s, inner::join);
                }
            }
        }
        return changed ? unite(out) : m;
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
        // a partition is covered by the one of equal key, or by a coarsened one whose key is a prefix of its key
        for (Map.Entry<List<?>, S> e : a.byKey().entrySet()) {
            S other = b.byKey().get(e.getKey());
            if (other != null && inner.leq(e.getValue(), other)) {
                continue;
            }
            boolean covered = false;
            for (S t : b.states()) {
                if (t != other && inner.leq(e.getValue(), t)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
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
    public Optional<Partitions<S>> transferBlock(Partitions<S> state, Block block) {
        Map<S, Optional<S>> memo = transferred.computeIfAbsent(block, b -> new IdentityHashMap<>());
        Map<List<?>, S> m = new LinkedHashMap<>();
        for (S s : state.states()) {
            memo.computeIfAbsent(s, x -> inner.transferBlock(x, block))
                    .ifPresent(t -> m.merge(keys.key(t), t, inner::join));
        }
        return m.isEmpty() ? Optional.empty() : Optional.of(bound(m));
    }

    @Override
    public Optional<Partitions<S>> refine(Partitions<S> state, Block from, Edge edge) {
        Map<S, Optional<S>> memo = refined.computeIfAbsent(edge, e -> new IdentityHashMap<>());
        Map<List<?>, S> m = new LinkedHashMap<>();
        for (S s : state.states()) {
            memo.computeIfAbsent(s, x -> inner.refine(x, from, edge))
                    .ifPresent(t -> m.merge(keys.key(t), t, inner::join));
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

    /**
     * Keys in the order of their facts' text. The texts are made once per fact ({@code text}), they are dear, and
     * looked up once per key ({@code texts}) rather than at every comparison. Equal facts have equal texts, so
     * comparing texts alone orders as comparing facts and then texts did.
     */
    private static int compareKeys(List<?> a, List<?> b, Map<List<?>, String[]> texts, Map<Object, String> text) {
        String[] x = texts.computeIfAbsent(a, k -> texts(k, text));
        String[] y = texts.computeIfAbsent(b, k -> texts(k, text));
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static String[] texts(List<?> key, Map<Object, String> text) {
        String[] out = new String[key.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = text.computeIfAbsent(key.get(i), Object::toString);
        }
        return out;
    }

    private static int commonPrefix(List<?> a, List<?> b) {
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
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
        for (int level = 1; level <= keys.weakenLevels(); level++) {
            Map<List<?>, S> weak = new LinkedHashMap<>();
            for (S s : m.values()) {
                S t = keys.weaken(s, level);
                weak.merge(keys.key(t), t, inner::join);
            }
            m = weak;
            if (m.size() <= limit) {
                return new Partitions<>(m);
            }
        }
        // merge the partitions that agree longest first: they split latest, so the least is lost
        Map<List<?>, S> cut = m;
        Map<Object, String> text = new java.util.HashMap<>();
        while (cut.size() > limit) {
            List<List<?>> sorted = new ArrayList<>(cut.keySet());
            Map<List<?>, String[]> texts = new IdentityHashMap<>();
            sorted.sort((a, b) -> compareKeys(a, b, texts, text));
            int[] lcp = new int[sorted.size()];
            int best = 0;
            for (int i = 1; i < sorted.size(); i++) {
                lcp[i] = commonPrefix(sorted.get(i - 1), sorted.get(i));
                best = Math.max(best, lcp[i]);
            }
            Map<List<?>, S> next = new LinkedHashMap<>();
            for (int i = 0; i < sorted.size(); i++) {
                S s = cut.get(sorted.get(i));
                boolean merge = lcp[i] == best || i + 1 < sorted.size() && lcp[i + 1] == best;
                S t = merge ? keys.truncate(s, best) : s;
                next.merge(keys.key(t), t, inner::join);
            }
            cut = next;
        }
        return new Partitions<>(cut);
    }
}
