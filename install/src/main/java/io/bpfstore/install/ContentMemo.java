package io.bpfstore.install;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The last results of a pure function of package content (an object's parse, the permissions derived from it),
 * keyed by what determines them (the bytes' sha256 and the options applied), so that a long-running process that
 * sees the same package again (the agent: install, upgrade, recomposition of a hook) does not redo the work. The
 * results must be immutable; at most {@code size} are kept, least recently used dropped first.
 *
 * @param <K> the key: content digest and whatever else the result depends on
 * @param <V> the result
 */
final class ContentMemo<K, V> {
    private final Map<K, V> kept;

    /** A memo keeping the last {@code size} results. */
    ContentMemo(int size) {
        this.kept = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > size;
            }
        };
    }

    /** The result for {@code key}, computed by {@code compute} unless kept (a failure is not kept). */
    V get(K key, Function<K, V> compute) {
        synchronized (kept) {
            V v = kept.get(key);
            if (v != null) {
                return v;
            }
        }
        V v = compute.apply(key);
        synchronized (kept) {
            kept.put(key, v);
        }
        return v;
    }
}
