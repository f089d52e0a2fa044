package io.bpfstore.registry.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.store.client.Authenticator;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.client.RegistryException;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an origin registry: its catalog, a repository's tags, manifests and blobs (with its credentials). */
final class OriginClient {
    private static final int MAX_LIST = 4 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final String ACCEPT = MediaTypes.MANIFEST + ", " + MediaTypes.DOCKER_MANIFEST;

    private final URI registry;
    private final Authenticator auth;

    OriginClient(URI registry, Optional<Credentials> credentials) {
        this.registry = registry;
        this.auth = new Authenticator(Authenticator.defaultClient(), credentials);
    }

    /** A manifest as served. @param bytes its bytes @param mediaType its Content-Type */
    record Manifest(byte[] bytes, String mediaType) {
        Digest digest() {
            return Digest.of(bytes);
        }
    }

    /** Every repository of the registry ({@code /v2/_catalog}, following pages). */
    List<String> catalog() throws IndexException {
        return list("registry:catalog:*", "/v2/_catalog?n=100", "repositories");
    }

    /** Every tag of the repository. */
    List<String> tags(String repository) throws IndexException {
        return list(pull(repository), "/v2/" + repository + "/tags/list?n=1000", "tags");
    }

    Manifest manifest(String repository, String tag) throws IndexException {
        HttpResponse<InputStream> r = send(pull(repository), "GET", "/v2/" + repository + "/manifests/" + tag,
                "manifest " + repository + ":" + tag, "Accept", ACCEPT);
        byte[] bytes = read(r, RegistryClient.MAX_MANIFEST, "manifest " + repository + ":" + tag);
        return new Manifest(bytes, r.headers().firstValue("Content-Type").orElse(MediaTypes.MANIFEST));
    }

    /** The blob's bytes as the origin sends them (the caller verifies the digest). */
    InputStream blob(String repository, Digest digest) throws IndexException {
        return send(pull(repository), "GET", "/v2/" + repository + "/blobs/" + digest, "blob " + digest
                + " of " + repository).body();
    }

    private List<String> list(String scope, String first, String field) throws IndexException {
        List<String> out = new ArrayList<>();
        String page = first;
        while (page != null) {
            HttpResponse<InputStream> r = send(scope, "GET", page, "list " + field);
            JsonNode items;
            try {
                items = JSON.readTree(read(r, MAX_LIST, "list " + field)).path(field);
            } catch (IOException e) {
                throw new IndexException(registry + ": the " + field + " list is not JSON");
            }
            for (JsonNode item : items) {
                if (item.isTextual()) {
                    out.add(item.asText());
                }
            }
            page = r.headers().firstValue("Link").map(NEXT::matcher).filter(Matcher::find).map(m -> m.group(1))
                    .orElse(null);
        }
        return out;
    }

    private HttpResponse<InputStream> send(String scope, String method, String path, String what,
                                           String... headers) throws IndexException {
        URI uri = registry.resolve(path);
        HttpResponse<InputStream> r;
        try {
            r = auth.send(what, scope, authorization -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                        .method(method, HttpRequest.BodyPublishers.noBody());
                authorization.ifPresent(a -> b.header("Authorization", a));
                for (int i = 0; i < headers.length; i += 2) {
                    b.header(headers[i], headers[i + 1]);
                }
                return b.build();
            });
        } catch (RegistryException e) {
            throw new IndexException(registry + ": " + e.getMessage(), e);
        }
        if (r.statusCode() != 200) {
            try (InputStream ignored = r.body()) {
                ignored.skip(64 * 1024);
            } catch (IOException e) {
                // the connection is dropped
            }
            throw new IndexException(registry + ": " + what + ": HTTP " + r.statusCode());
        }
        return r;
    }

    private byte[] read(HttpResponse<InputStream> r, int limit, String what) throws IndexException {
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new IndexException(registry + ": " + what + " is larger than " + limit + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new IndexException(registry + ": reading " + what + ": " + e.getMessage(), e);
        }
    }

    private static String pull(String repository) {
        return "repository:" + repository + ":pull";
    }
}
