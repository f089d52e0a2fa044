package io.bpfstore.registry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.registry.auth.Action;
import io.bpfstore.registry.auth.Authenticator;
import io.bpfstore.registry.auth.Caller;
import io.bpfstore.registry.auth.Decision;
import io.bpfstore.registry.auth.TokenEndpoint;
import io.bpfstore.registry.http.Exchange;
import io.bpfstore.store.image.SemVer;
import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.PackageIndex;
import io.bpfstore.registry.storage.PackageRecord;
import io.bpfstore.registry.storage.Publisher;
import io.bpfstore.registry.storage.SearchHit;
import io.bpfstore.registry.storage.SearchPage;
import io.bpfstore.store.image.SearchQuery;
import io.bpfstore.registry.storage.VersionRecord;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/** Routes and answers {@code /api/v1/...} requests. */
public final class StoreApi {
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern PUBLISHER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int DEFAULT_PER_PAGE = 20;

    private final PackageIndex packages;
    private final Accounts accounts;
    private final Authenticator authenticator;
    private final ObjectMapper json = new ObjectMapper();

    /** Wires the API to the index, the accounts and the access policy. */
    public StoreApi(PackageIndex packages, Accounts accounts, Authenticator authenticator) {
        this.packages = packages;
        this.accounts = accounts;
        this.authenticator = authenticator;
    }

    /** Answers one request whose path starts with {@code /api/v1/}. */
    public void handle(Exchange ex) throws IOException {
        try {
            route(ex);
        } catch (ApiException e) {
            if (e.challenge() != null) {
                ex.header("WWW-Authenticate", e.challenge());
            }
            ObjectNode body = json.createObjectNode();
            ObjectNode error = body.putObject("error");
            error.put("code", e.code());
            error.put("message", e.getMessage());
            send(ex, e.status(), body);
        }
    }

    private void route(Exchange ex) throws ApiException, IOException {
        String[] parts = Arrays.stream(ex.rawPath().substring("/api/v1/".length()).split("/", -1))
                .map(StoreApi::decode).toArray(String[]::new);
        String method = ex.method();
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (parts.length == 1 && parts[0].equals("search")) {
            requireMethod(read, "GET");
            requireReader(ex);
            search(ex);
        } else if (parts.length == 3 && parts[0].equals("packages")) {
            requireMethod(read, "GET");
            requireReader(ex);
            packageInfo(ex, component(parts[1]), component(parts[2]));
        } else if (parts.length == 4 && parts[0].equals("packages")) {
            requireMethod(read, "GET");
            requireReader(ex);
            versionInfo(ex, component(parts[1]), component(parts[2]), parts[3]);
        } else if (parts.length == 5 && parts[0].equals("packages")
                && (parts[4].equals("yank") || parts[4].equals("unyank"))) {
            requireMethod(method.equals("POST"), "POST");
            yank(ex, component(parts[1]), component(parts[2]), parts[3], parts[4].equals("yank"));
        } else if (parts.length == 2 && parts[0].equals("publishers")) {
            requireMethod(read, "GET");
            requireReader(ex);
            publisher(ex, parts[1]);
        } else {
            throw ApiException.notFound("endpoint " + ex.rawPath());
        }
    }

    private void search(Exchange ex) throws ApiException, IOException {
        Optional<String> text = ex.query("q");
        SearchQuery query;
        try {
            query = new SearchQuery(text, filter(ex, "type"), filter(ex, "hook"), filter(ex, "helper"),
                    filter(ex, "license"), number(ex, "page", 1), number(ex, "per_page", DEFAULT_PER_PAGE));
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(e.getMessage());
        }
        SearchPage page = packages.search(query);
        ObjectNode body = json.createObjectNode();
        body.put("total", page.total());
        body.put("total_exact", page.exact());
        body.put("total_at_least", page.atLeast());
        body.put("page", query.page());
        body.put("per_page", query.perPage());
        ArrayNode results = body.putArray("results");
        for (SearchHit h : page.results()) {
            ObjectNode r = results.addObject();
            r.put("namespace", h.namespace());
            r.put("name", h.name());
            r.put("version", h.version());
            r.put("description", h.description());
            r.put("license", h.license());
            ArrayNode types = r.putArray("program_types");
            h.programTypes().forEach(types::add);
            r.put("downloads", h.downloads());
            r.put("digest", h.digest());
        }
        send(ex, 200, body);
    }

    private void packageInfo(Exchange ex, String ns, String name) throws ApiException, IOException {
        PackageRecord p = packages.find(ns, name).orElseThrow(() -> ApiException.notFound("package " + ns + "/" + name));
        ObjectNode body = json.createObjectNode();
        body.put("namespace", p.namespace());
        body.put("name", p.name());
        body.put("description", p.description());
        if (p.latest().isPresent()) {
            body.put("latest", p.latest().get());
        } else {
            body.putNull("latest");
        }
        body.put("downloads", p.downloads());
        ArrayNode versions = body.putArray("versions");
        for (VersionRecord v : p.versions()) {
            ObjectNode o = versions.addObject();
            o.put("version", v.version());
            o.put("digest", v.digest());
            o.put("yanked", v.yanked());
            o.put("published_at", v.publishedAt().toString());
            o.put("downloads", v.downloads());
        }
        send(ex, 200, body);
    }

    private void versionInfo(Exchange ex, String ns, String name, String version) throws ApiException, IOException {
        VersionRecord v = lookup(ns, name, version);
        JsonNode meta = json.readTree(v.metadata());
        ObjectNode body = meta.isObject() ? (ObjectNode) meta : json.createObjectNode();
        body.put("digest", v.digest());
        body.put("yanked", v.yanked());
        body.put("published_at", v.publishedAt().toString());
        body.put("downloads", v.downloads());
        send(ex, 200, body);
    }

    private void yank(Exchange ex, String ns, String name, String version, boolean yanked)
            throws ApiException, IOException {
        String repo = ns + "/" + name;
        Caller caller = authenticator.identify(ex.header("Authorization"));
        switch (authenticator.decide(caller, repo, Action.PUSH)) {
            case Decision.Allow a -> { }
            case Decision.Challenge c -> throw new ApiException(401, "unauthorized", c.reason(),
                    challenge(ex, repo));
            case Decision.Deny d -> throw new ApiException(403, "forbidden", d.reason());
        }
        lookup(ns, name, version);
        if (!packages.setYanked(ns, name, version, yanked)) {
            throw ApiException.notFound("version " + repo + "@" + version);
        }
        ObjectNode body = json.createObjectNode();
        body.put("yanked", yanked);
        send(ex, 200, body);
    }

    private void publisher(Exchange ex, String name) throws ApiException, IOException {
        if (!PUBLISHER.matcher(name).matches()) {
            throw ApiException.notFound("publisher " + name);
        }
        Publisher p = accounts.publisher(name).orElseThrow(() -> ApiException.notFound("publisher " + name));
        ObjectNode body = json.createObjectNode();
        body.put("name", p.name());
        ArrayNode ns = body.putArray("namespaces");
        p.namespaces().forEach(ns::add);
        ArrayNode list = body.putArray("packages");
        packages.packagesIn(p.namespaces()).forEach(list::add);
        send(ex, 200, body);
    }

    private VersionRecord lookup(String ns, String name, String version) throws ApiException {
        if (!SemVer.isPackageVersion(version)) {
            throw ApiException.notFound("version " + version);
        }
        return packages.version(ns, name, version)
                .orElseThrow(() -> ApiException.notFound("version " + ns + "/" + name + "@" + version));
    }

    /** Reads are open unless the registry is private; then a publisher must be authenticated. */
    private void requireReader(Exchange ex) throws ApiException {
        if (!authenticator.policy().isPrivate()) {
            return;
        }
        Caller caller = authenticator.identify(ex.header("Authorization"));
        if (Authenticator.publisherOf(caller).isEmpty()) {
            throw new ApiException(401, "unauthorized", "this registry is private: authenticate as a publisher",
                    challenge(ex, null));
        }
    }

    private static String challenge(Exchange ex, String repo) {
        return "Bearer realm=\"" + ex.baseUrl() + "/token\",service=\"" + TokenEndpoint.SERVICE + "\""
                + (repo == null ? "" : ",scope=\"repository:" + repo + ":pull,push\"");
    }

    private static void requireMethod(boolean ok, String allowed) throws ApiException {
        if (!ok) {
            throw new ApiException(405, "method_not_allowed", "use " + allowed);
        }
    }

    private static String component(String s) throws ApiException {
        if (!COMPONENT.matcher(s).matches() || s.length() > 128) {
            throw ApiException.notFound("package " + s);
        }
        return s;
    }

    private static Optional<String> filter(Exchange ex, String name) throws ApiException {
        Optional<String> v = ex.query(name).map(String::strip).filter(s -> !s.isEmpty());
        return v;
    }

    private static int number(Exchange ex, String name, int fallback) throws ApiException {
        Optional<String> v = ex.query(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.get().strip());
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(name + " must be an integer, not \"" + v.get() + "\"");
        }
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "%invalid";
        }
    }

    private void send(Exchange ex, int status, JsonNode body) throws IOException {
        ex.respond(status, "application/json", json.writeValueAsBytes(body));
    }
}
