package io.bpfstore.registry.storage;

import java.util.List;

/**
 * A page of search results.
 *
 * @param total   matches over all pages
 * @param results this page
 */
public record SearchPage(long total, List<SearchHit> results) {
    /** Copies the list. */
    public SearchPage {
        results = List.copyOf(results);
    }
}
