package io.bpfstore.registry.limits;

import io.bpfstore.registry.storage.RateCounters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link RateCounters} in this instance's memory: the embedded set-up, where one instance serves the store. */
public final class InstanceRateCounters implements RateCounters {
    /** Keys tracked before ended windows are swept (an address flood must not grow the heap without bound). */
    private static final int MAX_KEYS = 100_000;

    private final ConcurrentHashMap<String, Count> counts = new ConcurrentHashMap<>();

    /** One key's count in window {@code window}. */
    private record Count(long window, int n) {
    }

    @Override
    public Map<String, Integer> add(List<String> keys, long window) {
        if (counts.size() > MAX_KEYS) {
            counts.values().removeIf(c -> c.window() < window);
        }
        Map<String, Integer> after = new HashMap<>();
        for (String key : keys) {
            Count c = counts.merge(key, new Count(window, 1), (old, one) -> old.window() == window
                    ? new Count(window, old.n() + 1) : one);
            after.put(key, c.n());
        }
        return after;
    }

    @Override
    public Map<String, Integer> counts(List<String> keys, long window) {
        Map<String, Integer> out = new HashMap<>();
        for (String key : keys) {
            Count c = counts.get(key);
            if (c != null && c.window() == window) {
                out.put(key, c.n());
            }
        }
        return out;
    }
}
