package io.bpfstore.registry.web;

import io.bpfstore.registry.storage.PackageIndex;
import io.bpfstore.registry.storage.SearchHit;
import io.bpfstore.registry.storage.SearchPage;
import io.bpfstore.store.image.SearchQuery;
import io.bpfstore.registry.storage.VersionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The home page (search box and newest packages) and the search results page. */
final class SearchPages {
    /** Results per search page. */
    static final int PER_PAGE = 20;
    /** Packages on the home page. */
    static final int NEWEST = 12;
    /** Longest filter value accepted, as in the store API. */

    private final PackageIndex packages;

    SearchPages(PackageIndex packages) {
        this.packages = packages;
    }

    /** The home page. */
    String home() {
        // The index orders by downloads; the newest come from the latest versions' publication times among
        // the first page of the whole index (bounded, so the home page stays one small query plus lookups).
        SearchPage all = packages.search(new SearchQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 1, SearchQuery.MAX_PER_PAGE));
        record Dated(SearchHit hit, Instant at) {
        }
        List<Dated> dated = new ArrayList<>();
        for (SearchHit h : all.results()) {
            Instant at = packages.version(h.namespace(), h.name(), h.version())
                    .map(VersionRecord::publishedAt).orElse(Instant.EPOCH);
            dated.add(new Dated(h, at));
        }
        dated.sort(Comparator.comparing(Dated::at).reversed());
        Markup m = new Markup();
        m.raw("<section class=\"hero\"><h1>eBPF packages, inspected</h1>")
                .raw("<p>Every package shows its programs, hooks, maps, the permissions it declares and those ")
                .raw("derived from its bytecode, and the disassembly with source lines.</p>")
                .raw("<form class=\"search big\" action=\"/search\" method=\"get\" role=\"search\">")
                .raw("<input id=\"home-q\" type=\"search\" name=\"q\" placeholder=\"xdp, tc, kprobe, firewall…\"")
                .raw(" aria-label=\"Search packages\" autofocus>")
                .raw("<button type=\"submit\">Search</button></form></section>");
        m.raw("<h2>Newest packages</h2>");
        if (dated.isEmpty()) {
            m.raw("<p class=\"empty\">No packages yet. Publish one with <code>bpfstore push</code>.</p>");
        } else {
            hits(m, dated.stream().limit(NEWEST).map(Dated::hit).toList());
        }
        m.raw("<p class=\"more\">").raw("<a href=\"/search\">All ").text(Long.toString(all.total()))
                .raw(" packages</a></p>");
        return Layout.page("eBPF packages", Optional.empty(), m);
    }

    /** The results page for {@code params} (q, type, license, page); out-of-bounds ones are refused as the API does. */
    String search(Map<String, Optional<String>> params) throws BadSearchException {
        Optional<String> q = clean(params.get("q"));
        Optional<String> type = clean(params.get("type"));
        Optional<String> license = clean(params.get("license"));
        int page = params.getOrDefault("page", Optional.empty()).map(SearchPages::parsePage).orElse(1);
        Markup m = new Markup();
        m.raw("<h1>Search</h1>");
        m.raw("<form class=\"filters\" action=\"/search\" method=\"get\">")
                .raw("<label>Text <input type=\"search\" name=\"q\" value=\"").text(q.orElse("")).raw("\"></label>")
                .raw("<label>Program type <input name=\"type\" placeholder=\"xdp\" value=\"")
                .text(type.orElse("")).raw("\"></label>")
                .raw("<label>Licence <input name=\"license\" placeholder=\"GPL-2.0-only\" value=\"")
                .text(license.orElse("")).raw("\"></label>")
                .raw("<button type=\"submit\">Filter</button></form>");
        SearchQuery query;
        try {
            query = new SearchQuery(q, type, Optional.empty(), Optional.empty(), license, page, PER_PAGE);
        } catch (IllegalArgumentException e) {
            // the API's bounds and words (SearchQuery checks them for both), and its status: 400
            m.element("p", "error", e.getMessage());
            throw new BadSearchException(Layout.page("Search", Optional.empty(), m));
        }
        SearchPage result = packages.search(query);
        m.raw("<p class=\"count\">").text(SearchPage.qualifier(result.exact(), result.atLeast()) + result.total()
                        + (result.total() == 1 ? " package" : " packages"))
                .raw("</p>");
        if (result.results().isEmpty()) {
            m.raw("<p class=\"empty\">Nothing matched. Try fewer words or another filter.</p>");
        } else {
            hits(m, result.results());
        }
        long pages = (result.total() + PER_PAGE - 1) / PER_PAGE;
        // an inexact total may end at this page: offer the next one while the pages are full
        boolean more = result.hasMoreAfter((long) (page - 1) * PER_PAGE + result.results().size());
        if (pages > 1 || more) {
            m.raw("<nav class=\"pages\">");
            if (page > 1) {
                m.link(searchHref(q, type, license, page - 1), "← Previous");
            }
            m.raw("<span>").text("page " + page + (result.exact() ? " of " + pages : "")).raw("</span>");
            if (more) {
                m.link(searchHref(q, type, license, page + 1), "Next →");
            }
            m.raw("</nav>");
        }
        return Layout.page(q.map(s -> "Search: " + s).orElse("Search"), q, m);
    }

    /** A list of package cards. */
    static void hits(Markup m, List<SearchHit> hits) {
        m.raw("<ul class=\"hits\">");
        for (SearchHit h : hits) {
            m.raw("<li class=\"hit\"><div class=\"hit-head\">")
                    .raw("<a class=\"pkg\" href=\"").text(Layout.packageHref(h.namespace(), h.name(), Optional.empty()))
                    .raw("\">").text(h.namespace() + "/" + h.name()).raw("</a>")
                    .element("span", "version", h.version());
            for (String t : h.programTypes()) {
                m.raw("<a class=\"tag\" href=\"").text("/search?type=" + Layout.segment(t)).raw("\">").text(t)
                        .raw("</a>");
            }
            m.raw("</div>").element("p", "desc", h.description())
                    .raw("<div class=\"meta\">").element("span", h.license())
                    .element("span", h.downloads() + (h.downloads() == 1 ? " download" : " downloads"))
                    .raw("</div></li>");
        }
        m.raw("</ul>");
    }

    private static String searchHref(Optional<String> q, Optional<String> type, Optional<String> license, int page) {
        StringBuilder b = new StringBuilder("/search?page=").append(page);
        q.ifPresent(v -> b.append("&q=").append(Layout.segment(v)));
        type.ifPresent(v -> b.append("&type=").append(Layout.segment(v)));
        license.ifPresent(v -> b.append("&license=").append(Layout.segment(v)));
        return b.toString();
    }

    private static Optional<String> clean(Optional<String> v) {
        return v == null ? Optional.empty() : v.map(String::strip).filter(s -> !s.isEmpty());
    }

    /** A search the shared {@link SearchQuery} bounds refuse; carries the page that says why (a 400). */
    static final class BadSearchException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String page;

        BadSearchException(String page) {
            super("bad search");
            this.page = page;
        }

        String page() {
            return page;
        }
    }

    private static int parsePage(String s) {
        try {
            int p = Integer.parseInt(s.strip());
            return Math.clamp(p, 1, 1_000_000);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
