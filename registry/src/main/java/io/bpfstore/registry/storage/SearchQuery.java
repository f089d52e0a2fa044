package io.bpfstore.registry.storage;

import java.util.Optional;

/**
 * A package search; every filter is optional and all given ones must match.
 *
 * @param text        words to find in namespace, name and description (prefix match per word)
 * @param programType a program type the package contains (e.g. {@code xdp})
 * @param hook        an attach type it needs
 * @param helper      a helper it calls
 * @param license     its SPDX licence expression (case-insensitive equality)
 * @param page        1-based page
 * @param perPage     results per page (1..100)
 */
public record SearchQuery(Optional<String> text, Optional<String> programType, Optional<String> hook,
                          Optional<String> helper, Optional<String> license, int page, int perPage) {
    /** Largest page size. */
    public static final int MAX_PER_PAGE = 100;

    /** Checks the page bounds. */
    public SearchQuery {
        if (page < 1 || page > 1_000_000) {
            throw new IllegalArgumentException("page must be between 1 and 1000000: " + page);
        }
        if (perPage < 1 || perPage > MAX_PER_PAGE) {
            throw new IllegalArgumentException("per_page must be between 1 and " + MAX_PER_PAGE + ": " + perPage);
        }
    }
}
