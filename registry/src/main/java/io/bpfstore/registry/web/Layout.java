package io.bpfstore.registry.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The chrome around every page: head, header with the search box, footer; and URL building for links. */
final class Layout {
    private Layout() {
    }

    /** A whole document: {@code title} (escaped) and {@code body} (already built markup). */
    static String page(String title, Optional<String> query, Markup body) {
        Markup m = new Markup();
        m.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<title>").text(title).raw(" · bpfstore</title>")
                .raw("<link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>")
                .raw("<header class=\"top\"><div class=\"wrap\"><a class=\"brand\" href=\"/\">bpfstore</a>")
                .raw("<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">")
                .raw("<input type=\"search\" name=\"q\" placeholder=\"Search eBPF packages\" aria-label=\"Search\"")
                .raw(" value=\"").text(query.orElse("")).raw("\">")
                .raw("<button type=\"submit\">Search</button></form></div></header>")
                .raw("<main class=\"wrap\">").raw(body.toString()).raw("</main>")
                .raw("<footer class=\"wrap\">bpfstore registry · <a href=\"/api/v1/search\">JSON API</a>")
                .raw(" · OCI distribution under <code>/v2/</code></footer></body></html>\n");
        return m.toString();
    }

    /** The link to a package ({@code version} empty: its latest version). */
    static String packageHref(String namespace, String name, Optional<String> version) {
        return "/packages/" + segment(namespace) + "/" + segment(name) + version.map(v -> "/" + segment(v)).orElse("");
    }

    /** The link to a publisher. */
    static String publisherHref(String name) {
        return "/publishers/" + segment(name);
    }

    /** Percent-encodes one path segment or query value. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
