package io.bpfstore.registry.storage;

import java.util.List;
import java.util.Map;

/**
 * How often each key (a client address, an account) did something in a numbered time window: the rate limiter's
 * failed logins and token requests. A store that several instances serve shares them, so a limit holds per client
 * across the store, not per instance.
 */
public interface RateCounters {
    /**
     * Adds one to the count of each key in {@code window}.
     *
     * @return each key's count after the addition
     */
    Map<String, Integer> add(List<String> keys, long window);

    /** Each key's count in {@code window}; a key that did nothing in it is absent. */
    Map<String, Integer> counts(List<String> keys, long window);
}
