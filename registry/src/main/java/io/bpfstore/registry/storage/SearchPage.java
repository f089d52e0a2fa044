package io.bpfstore.registry.storage;

import java.util.List;

/**
 * A page of search results.
 *
 * @param total   matches over all pages: exact, or when {@code exact} is false an estimate (a store may estimate
 *                the count of a search that matches very many packages rather than count them; it is at least the
 *                number of matches up to the end of this page)
 * @param results this page
 * @param exact   whether {@code total} is exact
 */
public record SearchPage(long total, List<SearchHit> results, boolean exact) {
    /** Copies the list. */
    public SearchPage {
        results = List.copyOf(results);
    }

    /** A page with an exact total. */
    public SearchPage(long total, List<SearchHit> results) {
        this(total, results, true);
    }
}
