package io.bpfstore.store.registry;

import java.util.Optional;

/**
 * A store search: free text and optional filters, as {@code GET /api/v1/search} takes them.
 *
 * @param text    free text (may be empty)
 * @param type    program type filter (bpfman spelling, e.g. {@code xdp})
 * @param hook    attach type filter
 * @param helper  helper name filter
 * @param license SPDX licence filter
 * @param page    1-based page
 * @param perPage results per page
 */
public record SearchQuery(String text, Optional<String> type, Optional<String> hook, Optional<String> helper,
                          Optional<String> license, int page, int perPage) {
    /** A text search with no filters, first page of 20. */
    public static SearchQuery text(String text) {
        return new SearchQuery(text, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 1, 20);
    }

    /** The query string. */
    String query() {
        StringBuilder b = new StringBuilder("q=").append(Authenticator.encode(text));
        type.ifPresent(v -> b.append("&type=").append(Authenticator.encode(v)));
        hook.ifPresent(v -> b.append("&hook=").append(Authenticator.encode(v)));
        helper.ifPresent(v -> b.append("&helper=").append(Authenticator.encode(v)));
        license.ifPresent(v -> b.append("&license=").append(Authenticator.encode(v)));
        return b.append("&page=").append(page).append("&per_page=").append(perPage).toString();
    }
}
