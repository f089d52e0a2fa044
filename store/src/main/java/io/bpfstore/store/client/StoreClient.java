package io.bpfstore.store.client;

import io.bpfstore.store.image.SearchQuery;
import io.bpfstore.store.image.SemVer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The store API of a bpfstore registry ({@code /api/v1}): search, package and version details, yank. Answers
 * are returned as JSON trees in the contract's shape (docs/package-format.md); errors
 * ({@code {"error":{"code","message"}}}) become {@link RegistryException}.
 */
public final class StoreClient {
    private final URI base;
    private final Authenticator auth;

    /** A client for the registry at {@code base}. */
    public StoreClient(URI base, Optional<Credentials> credentials) {
        this.base = base;
        this.auth = new Authenticator(Authenticator.defaultClient(), credentials);
    }

    /** {@code GET /api/v1/search}: {@code {"total":N,"results":[...]}}. */
    public JsonNode search(SearchQuery query) {
        return get("search \"" + query.text().orElse("") + "\"", "/api/v1/search?" + query.query());
    }

    /** {@code GET /api/v1/packages/NS/NAME}: the package and its versions. */
    public JsonNode packageInfo(String namespace, String name) {
        return get("show " + namespace + "/" + name, "/api/v1/packages/" + namespace + "/" + name);
    }

    /** {@code GET /api/v1/packages/NS/NAME/VERSION}: one version's metadata. */
    public JsonNode version(String namespace, String name, String version) {
        return get("show " + namespace + "/" + name + "@" + version, "/api/v1/packages/" + namespace + "/" + name
                + "/" + version);
    }

    /**
     * The version {@code ref} without a version means: the store's latest (never a yanked one), or, on a registry
     * without the store API, the highest released semver tag that {@code registry} lists; empty when there is none.
     */
    public Optional<String> latestVersion(PackageReference ref, RegistryClient registry) {
        try {
            JsonNode info = packageInfo(ref.namespace(), ref.name());
            if (info.path("latest").isTextual() && SemVer.isValid(info.path("latest").asText())) {
                return Optional.of(info.path("latest").asText());
            }
        } catch (RegistryException e) {
            if (e.status() != 404 && e.status() != 405 && !e.code().equals("BAD_RESPONSE")) {
                throw e;
            }
        }
        return registry.tags(ref.repository()).stream().filter(SemVer::isValid).map(SemVer::new)
                .filter(v -> !v.isPrerelease()).max(SemVer::compareTo).map(SemVer::text);
    }

    /**
     * Yanks ({@code undo} false) or un-yanks a version; needs credentials with push rights on the namespace.
     * Returns whether the version is now yanked.
     */
    public boolean yank(String namespace, String name, String version, boolean undo) {
        String action = (undo ? "unyank " : "yank ") + namespace + "/" + name + "@" + version;
        if (auth.credentials().isEmpty()) {
            throw new RegistryException(action, 401, "UNAUTHORIZED", "no credentials for " + base
                    + "; run bpfstore login");
        }
        URI uri = base.resolve("/api/v1/packages/" + namespace + "/" + name + "/" + version
                + (undo ? "/unyank" : "/yank"));
        String token = "Bearer " + auth.credentials().get().password();
        // The API token itself is accepted as a bearer token; a 401 challenge falls back to the token flow.
        HttpResponse<InputStream> r = auth.send(action, "repository:" + namespace + "/" + name + ":push",
                a -> HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Authorization", a.orElse(token)).header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.noBody()).build());
        if (r.statusCode() != 200) {
            throw Authenticator.error(action, r);
        }
        JsonNode body = Authenticator.json(action, r);
        if (!body.path("yanked").isBoolean()) {
            throw new RegistryException(action, 200, "BAD_RESPONSE", "answer has no \"yanked\" field");
        }
        return body.path("yanked").asBoolean();
    }

    private JsonNode get(String action, String path) {
        URI uri = base.resolve(path);
        HttpResponse<InputStream> r = auth.send(action, "", a -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json").GET();
            a.ifPresent(v -> b.header("Authorization", v));
            return b.build();
        });
        if (r.statusCode() != 200) {
            throw Authenticator.error(action, r);
        }
        JsonNode body = Authenticator.json(action, r);
        if (!body.isObject()) {
            throw new RegistryException(action, 200, "BAD_RESPONSE", "answer is not a JSON object");
        }
        return body;
    }
}
