package io.bpfstore.store.image;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A package search, as {@code GET /api/v1/search} and the web UI's search take it: the client builds its query
 * string with {@link #query()}, the registry builds one from request parameters and runs it. Every filter is
 * optional and all given ones must match; the bounds are checked here, so both sides refuse the same queries
 * with the same words.
 *
 * @param text        words to find in namespace, name and description (prefix match per word)
 * @param programType a program type the package contains (bpftool spelling, e.g. {@code xdp})
 * @param hook        an attach type it needs
 * @param helper      a helper it calls
 * @param license     its SPDX licence expression (case-insensitive equality)
 * @param page        1-based page
 * @param perPage     results per page (1..{@value #MAX_PER_PAGE})
 */
public record SearchQuery(Optional<String> text, Optional<String> programType, Optional<String> hook,
                          Optional<String> helper, Optional<String> license, int page, int perPage) {
    /** Largest page size. */
    public static final int MAX_PER_PAGE = 100;
    /** Longest search text or filter value, in characters. */
    public static final int MAX_TEXT = 256;
    /** Largest page number. */
    public static final int MAX_PAGE = 1_000_000;

    /** Checks the bounds; {@link IllegalArgumentException} names the parameter at fault. */
    public SearchQuery {
        check("q", text);
        check("type", programType);
        check("hook", hook);
        check("helper", helper);
        check("license", license);
        if (page < 1 || page > MAX_PAGE) {
            throw new IllegalArgumentException("page must be between 1 and " + MAX_PAGE + ": " + page);
        }
        if (perPage < 1 || perPage > MAX_PER_PAGE) {
            throw new IllegalArgumentException("per_page must be between 1 and " + MAX_PER_PAGE + ": " + perPage);
        }
    }

    /** A text search with no filters, first page of 20. */
    public static SearchQuery text(String text) {
        return new SearchQuery(Optional.of(text), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 1, 20);
    }

    /** Every package, {@code page} by {@code page} at the largest page size; with a program type if given. */
    public static SearchQuery all(Optional<String> programType, int page) {
        return new SearchQuery(Optional.empty(), programType, Optional.empty(), Optional.empty(), Optional.empty(),
                page, MAX_PER_PAGE);
    }

    /** The query string of {@code GET /api/v1/search}. */
    public String query() {
        StringBuilder b = new StringBuilder("q=").append(encode(text.orElse("")));
        programType.ifPresent(v -> b.append("&type=").append(encode(v)));
        hook.ifPresent(v -> b.append("&hook=").append(encode(v)));
        helper.ifPresent(v -> b.append("&helper=").append(encode(v)));
        license.ifPresent(v -> b.append("&license=").append(encode(v)));
        return b.append("&page=").append(page).append("&per_page=").append(perPage).toString();
    }

    private static void check(String parameter, Optional<String> value) {
        if (value.isPresent() && value.get().length() > MAX_TEXT) {
            throw new IllegalArgumentException(parameter + " is longer than " + MAX_TEXT + " characters");
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
