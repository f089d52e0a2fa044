package io.bpfstore.registry.storage.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.registry.storage.BlobStoreUnavailableException;
import io.bpfstore.store.client.Authenticator;
import io.bpfstore.store.client.RegistryException;
import io.bpfstore.store.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTP to the backend registry: the one repository of the blob store, with its credentials (Basic or the token
 * flow, through the store client's {@link Authenticator}); every failure to reach it or to be served by it becomes
 * a {@link BlobStoreUnavailableException} naming the store.
 */
final class BackendClient {
    /** Largest error body read from the backend. */
    private static final int MAX_ERROR_BODY = 16 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OciBlobLocation location;
    private final Authenticator auth;
    private final String scope;

    BackendClient(OciBlobLocation location) {
        this.location = location;
        this.auth = new Authenticator(Authenticator.defaultClient(), location.credentials());
        this.scope = "repository:" + location.repository() + ":pull,push";
    }

    /** {@code /v2/<repository>/<rest>} on the backend. */
    URI repo(String rest) {
        return URI.create(location.registry() + "/v2/" + location.repository() + "/" + rest);
    }

    URI blob(Digest digest) {
        return repo("blobs/" + digest);
    }

    /** An upload URL as the backend returned it (absolute, or relative to the registry). */
    URI resolve(String url) {
        return location.registry().resolve(url);
    }

    /** {@code url} with {@code name=value} appended to its query. */
    static URI withQuery(URI url, String name, String value) {
        String s = url.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + name + "=" + value);
    }

    /**
     * Sends one request and returns the response with its body unread (the caller closes it).
     *
     * @param body a publisher that may be asked for its bytes twice only if the backend challenged the first
     *             request (callers send bodies after a body-less request has fetched the token)
     */
    HttpResponse<InputStream> send(String action, String method, URI uri, HttpRequest.BodyPublisher body,
                                   String... headers) throws BlobStoreUnavailableException {
        try {
            return auth.send(action, scope, authorization -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).method(method, body);
                authorization.ifPresent(a -> b.header("Authorization", a));
                for (int i = 0; i < headers.length; i += 2) {
                    b.header(headers[i], headers[i + 1]);
                }
                return b.build();
            });
        } catch (RegistryException e) {
            throw new BlobStoreUnavailableException("blob store " + location + ": " + e.getMessage(), e);
        }
    }

    HttpResponse<InputStream> send(String action, String method, URI uri, String... headers)
            throws BlobStoreUnavailableException {
        return send(action, method, uri, HttpRequest.BodyPublishers.noBody(), headers);
    }

    /** The distribution-spec error code of a failed response ({@code HTTP_<status>} when the body has none). */
    static String errorCode(byte[] body, int status) {
        try {
            JsonNode code = JSON.readTree(body).path("errors").path(0).path("code");
            if (code.isTextual()) {
                return code.asText();
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through
        }
        return "HTTP_" + status;
    }

    /** Reads a small body (an error's), at most {@link #MAX_ERROR_BODY} bytes, and closes it. */
    static byte[] drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_ERROR_BODY);
            in.skip(Long.MAX_VALUE);
            return bytes;
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The failure for an answer the blob store did not expect: drains the body, names the status and code. */
    BlobStoreUnavailableException unexpected(String action, HttpResponse<InputStream> response) {
        byte[] body = drain(response);
        String code = errorCode(body, response.statusCode());
        String hint = response.statusCode() == 401 || response.statusCode() == 403
                ? " (check the blob store's credentials: BPFSTORE_BLOBS_USERNAME/PASSWORD or bpfstore login)" : "";
        return new BlobStoreUnavailableException("blob store " + location + ": " + action + ": HTTP "
                + response.statusCode() + " " + code + hint, null);
    }

    /** A header of the response, if present. */
    static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }

    @Override
    public String toString() {
        return location.toString();
    }
}
