package io.bpfstore.registry.web;

import io.bpfstore.registry.http.Exchange;
import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.PackageIndex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Routes and answers the web UI's requests: {@code /}, {@code /search}, {@code /packages/NS/NAME[/VERSION]},
 * {@code /publishers/NAME} and {@code /static/style.css}. Every HTML answer carries a strict
 * Content-Security-Policy.
 */
public final class WebUi {
    /** The policy sent with every answer: only this origin's resources, no inline script or style. */
    public static final String CSP = "default-src 'self'; frame-ancestors 'none'";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern PUBLISHER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,128}");
    private static final String HTML = "text/html; charset=utf-8";

    private final boolean privateRegistry;
    private final SearchPages search;
    private final PackagePage packagePage;
    private final PublisherPage publisherPage;
    private final byte[] stylesheet;

    /**
     * Wires the UI to the index, the accounts and the object reports; a private registry shows no packages to
     * browsers (they cannot present a publisher's credentials to a web page here); {@code mutableVersions} is
     * the registry's rule on republishing a version, which package pages state.
     */
    public WebUi(PackageIndex packages, Accounts accounts, ObjectReports objects, boolean privateRegistry,
                 boolean mutableVersions) {
        this.privateRegistry = privateRegistry;
        this.search = new SearchPages(packages);
        this.packagePage = new PackagePage(packages, accounts, objects, mutableVersions);
        this.publisherPage = new PublisherPage(accounts, packages);
        this.stylesheet = resource("style.css");
    }

    /** True for the paths this UI answers (the server's dispatcher asks before handing a request over). */
    public static boolean serves(String path) {
        return path.equals("/") || path.equals("/search") || path.startsWith("/packages/")
                || path.startsWith("/publishers/") || path.startsWith("/static/");
    }

    /** Answers one request for which {@link #serves} is true. */
    public void handle(Exchange ex) throws IOException {
        ex.header("Content-Security-Policy", CSP);
        ex.header("X-Content-Type-Options", "nosniff");
        ex.header("Referrer-Policy", "no-referrer");
        String method = ex.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.header("Allow", "GET, HEAD");
            error(ex, 405, "Method not allowed", "Pages here are read with GET.");
            return;
        }
        String path = ex.rawPath();
        if (path.startsWith("/static/")) {
            if (path.equals("/static/style.css")) {
                ex.header("Cache-Control", "public, max-age=3600");
                ex.respond(200, "text/css; charset=utf-8", stylesheet);
            } else {
                error(ex, 404, "Not found", "There is no such file.");
            }
            return;
        }
        if (privateRegistry) {
            error(ex, 403, "Private registry",
                    "This registry only serves authenticated publishers; use the bpfstore CLI.");
            return;
        }
        try {
            String[] parts = Arrays.stream(path.substring(1).split("/", -1)).map(WebUi::decode)
                    .toArray(String[]::new);
            ex.header("Cache-Control", "no-cache");
            if (path.equals("/")) {
                page(ex, search.home());
            } else if (path.equals("/search")) {
                Map<String, Optional<String>> params = new HashMap<>();
                for (String k : new String[] {"q", "type", "license", "page"}) {
                    params.put(k, ex.query(k));
                }
                try {
                    page(ex, search.search(params));
                } catch (SearchPages.BadSearchException e) {
                    ex.respond(400, HTML, e.page().getBytes(StandardCharsets.UTF_8));
                }
            } else if (parts[0].equals("packages") && (parts.length == 3 || parts.length == 4)) {
                String ns = component(parts[1]);
                String name = component(parts[2]);
                Optional<String> version = Optional.empty();
                if (parts.length == 4) {
                    if (!VERSION.matcher(parts[3]).matches()) {
                        throw new NotFoundException("version " + parts[3]);
                    }
                    version = Optional.of(parts[3]);
                }
                page(ex, packagePage.render(ns, name, version, host(ex)));
            } else if (parts[0].equals("publishers") && parts.length == 2) {
                if (!PUBLISHER.matcher(parts[1]).matches()) {
                    throw new NotFoundException("publisher " + parts[1]);
                }
                page(ex, publisherPage.render(parts[1]));
            } else {
                throw new NotFoundException("page " + path);
            }
        } catch (NotFoundException e) {
            error(ex, 404, "Not found", "There is no " + e.getMessage() + " here.");
        }
    }

    private static void page(Exchange ex, String html) {
        ex.respond(200, HTML, html.getBytes(StandardCharsets.UTF_8));
    }

    /** The HTML 404 page, for a browser that asked for a path nothing serves. */
    public static void notFound(Exchange ex) {
        ex.header("Content-Security-Policy", CSP);
        error(ex, 404, "Not found", "There is no page " + ex.rawPath() + " here.");
    }

    /** Whether the request prefers HTML (a browser) to JSON (a client). */
    public static boolean wantsHtml(Exchange ex) {
        return ex.header("Accept").map(a -> a.contains("text/html")).orElse(false);
    }

    private static void error(Exchange ex, int status, String title, String message) {
        Markup m = new Markup();
        m.raw("<section class=\"notfound\"><p class=\"status\">").text(Integer.toString(status)).raw("</p>")
                .element("h1", title).element("p", message)
                .raw("<p><a href=\"/\">Home</a> · <a href=\"/search\">Browse all packages</a></p></section>");
        ex.respond(status, HTML, Layout.page(title, Optional.empty(), m).getBytes(StandardCharsets.UTF_8));
    }

    private static String component(String s) throws NotFoundException {
        if (s.length() > 128 || !COMPONENT.matcher(s).matches()) {
            throw new NotFoundException("package named \"" + s + "\"");
        }
        return s;
    }

    private static String host(Exchange ex) {
        String base = ex.baseUrl();
        int scheme = base.indexOf("://");
        return scheme < 0 ? base : base.substring(scheme + 3);
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "%invalid";
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebUi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("web UI resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("read web UI resource " + name, e);
        }
    }
}
