package io.bpfstore.registry.storage;

import java.util.List;

/**
 * A page of search results.
 *
 * @param total   matches over all pages: exact; or, when {@code exact} is false, an estimate ({@code atLeast}
 *                false: "about N") or a counted lower bound ({@code atLeast} true: "at least N"). A store may
 *                estimate or bound the count of a search that matches very many packages rather than count them;
 *                either way it is at least the number of matches up to the end of this page
 * @param results this page
 * @param exact   whether {@code total} is exact
 * @param atLeast whether an inexact {@code total} is a lower bound rather than an estimate (false when exact)
 */
public record SearchPage(long total, List<SearchHit> results, boolean exact, boolean atLeast) {
    /** Copies the list; an exact total is no bound. */
    public SearchPage {
        results = List.copyOf(results);
        if (exact && atLeast) {
            throw new IllegalArgumentException("an exact total is not a lower bound");
        }
    }

    /** A page with an exact total, or an estimated one. */
    public SearchPage(long total, List<SearchHit> results, boolean exact) {
        this(total, results, exact, false);
    }

    /** A page with an exact total. */
    public SearchPage(long total, List<SearchHit> results) {
        this(total, results, true);
    }

    /**
     * How a total is worded before its number: "" when exact, "about " for an estimate, "at least " for a lower
     * bound (the web UI's and, from the API's {@code total_exact} and {@code total_at_least}, the CLI's words).
     */
    public static String qualifier(boolean exact, boolean atLeast) {
        return exact ? "" : atLeast ? "at least " : "about ";
    }

    /**
     * Whether a later page may hold matches, for a page ending at {@code pageEnd}: the total says so, or it is
     * inexact and goes no further than this page (a bound or estimate may stop at the page's last match).
     */
    public boolean hasMoreAfter(long pageEnd) {
        return total > pageEnd || (!exact && !results.isEmpty() && total == pageEnd);
    }
}
