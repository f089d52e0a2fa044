package io.bpfstore.registry.oci;

import io.bpfstore.store.image.MediaTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.registry.auth.Action;
import io.bpfstore.registry.auth.Authenticator;
import io.bpfstore.registry.auth.Caller;
import io.bpfstore.registry.http.Exchange;
import io.bpfstore.store.image.Digest;
import io.bpfstore.registry.storage.ManifestRecord;
import io.bpfstore.registry.storage.Repositories;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Tag lists, the catalog and OCI 1.1 referrers. */
final class ListingEndpoints {
    private static final int DEFAULT_PAGE = 1000;
    private static final int MAX_PAGE = 10_000;

    private final Repositories repositories;
    private final AccessGate gate;
    private final ObjectMapper json;

    ListingEndpoints(Repositories repositories, AccessGate gate, ObjectMapper json) {
        this.repositories = repositories;
        this.gate = gate;
        this.json = json;
    }

    void tags(Exchange ex, String repo) throws OciException {
        requireGet(ex);
        gate.require(ex, repo, Action.PULL);
        if (!repositories.exists(repo)) {
            throw new OciException(OciError.NAME_UNKNOWN, "repository name not known to registry", repo);
        }
        int n = pageSize(ex);
        Optional<String> last = ex.query("last");
        List<String> tags = n == 0 ? List.of() : repositories.tags(repo, last.orElse(null), n);
        ObjectNode body = json.createObjectNode();
        body.put("name", repo);
        ArrayNode array = body.putArray("tags");
        tags.forEach(array::add);
        if (n > 0 && tags.size() == n) {
            ex.header("Link", "</v2/" + repo + "/tags/list?n=" + n + "&last=" + encode(tags.getLast())
                    + ">; rel=\"next\"");
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        // A strong validator over the page (and its Link), so that pollers (the agent's follow) ask conditionally.
        String etag = "\"" + Digest.of(bytes).hex() + "\"";
        ex.header("ETag", etag);
        if (ex.header("If-None-Match").map(v -> matches(v, etag)).orElse(false)) {
            ex.respondEmpty(304);
            return;
        }
        ex.respond(200, "application/json", bytes);
    }

    /** Whether an {@code If-None-Match} header names {@code etag} (a list of entity tags, or {@code *}). */
    private static boolean matches(String ifNoneMatch, String etag) {
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.strip();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    void catalog(Exchange ex) throws OciException {
        requireGet(ex);
        Authenticator auth = gate.authenticator();
        Caller caller = auth.identify(ex.header("Authorization"));
        if (caller instanceof Caller.Rejected r) {
            throw AccessGate.unauthorized(ex, "registry:catalog:*", "invalid_token", r.reason());
        }
        if (auth.policy().isPrivate() && Authenticator.publisherOf(caller).isEmpty()) {
            throw AccessGate.unauthorized(ex, "registry:catalog:*", null, "authentication required");
        }
        int n = pageSize(ex);
        List<String> names = n == 0 ? List.of() : repositories.list(ex.query("last").orElse(null), n);
        ObjectNode body = json.createObjectNode();
        ArrayNode array = body.putArray("repositories");
        names.forEach(array::add);
        if (n > 0 && names.size() == n) {
            ex.header("Link", "</v2/_catalog?n=" + n + "&last=" + encode(names.getLast()) + ">; rel=\"next\"");
        }
        ex.respond(200, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    void referrers(Exchange ex, String repo, String reference) throws OciException, IOException {
        requireGet(ex);
        gate.require(ex, repo, Action.PULL);
        Digest subject = BlobEndpoints.digest(reference);
        Optional<String> filter = ex.query("artifactType");
        ObjectNode index = json.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (ManifestRecord m : repositories.referrers(repo, subject)) {
            if (filter.isPresent() && !filter.get().equals(m.artifactType().orElse(null))) {
                continue;
            }
            ObjectNode d = manifests.addObject();
            d.put("mediaType", m.mediaType());
            d.put("digest", m.digest().toString());
            d.put("size", m.content().length);
            m.artifactType().ifPresent(t -> d.put("artifactType", t));
            JsonNode annotations = json.readTree(m.content()).path("annotations");
            if (annotations.isObject() && !annotations.isEmpty()) {
                d.set("annotations", annotations);
            }
        }
        filter.ifPresent(f -> ex.header("OCI-Filters-Applied", "artifactType"));
        ex.respond(200, MediaTypes.INDEX, json.writeValueAsBytes(index));
    }

    private static void requireGet(Exchange ex) throws OciException {
        if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
            throw Distribution.methodNotAllowed(ex, "GET, HEAD");
        }
    }

    private static int pageSize(Exchange ex) throws OciException {
        Optional<String> n = ex.query("n");
        if (n.isEmpty()) {
            return DEFAULT_PAGE;
        }
        try {
            int v = Integer.parseInt(n.get());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return Math.min(v, MAX_PAGE);
        } catch (NumberFormatException e) {
            throw new OciException(OciError.UNSUPPORTED, 400, "n must be a non-negative integer", n.get());
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
