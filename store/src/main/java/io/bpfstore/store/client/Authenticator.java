package io.bpfstore.store.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Sends requests with the Docker/OCI token flow: a request answered {@code 401} with a Bearer challenge is
 * retried once with a token fetched from the challenge's realm (HTTP Basic with the credentials, or anonymous
 * without); a Basic challenge is answered with the credentials. Tokens are cached per scope. An anonymous request
 * with a body that fails in transport (the registry refused it unread and its reset lost the 401) asks {@code GET /v2/}
 * for the challenge and is sent once more.
 */
public final class Authenticator {
    /** Largest error or token body read, in bytes. */
    static final int MAX_SMALL_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Optional<Credentials> credentials;
    private final Map<String, String> authorization = new ConcurrentHashMap<>();

    /** An authenticator sending through {@code http}, with optional credentials. */
    public Authenticator(HttpClient http, Optional<Credentials> credentials) {
        this.http = http;
        this.credentials = credentials;
    }

    /** A client with sensible timeouts that follows same-protocol redirects (blob downloads may redirect). */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The HTTP client. */
    public HttpClient http() {
        return http;
    }

    /** The credentials, if any. */
    public Optional<Credentials> credentials() {
        return credentials;
    }

    /**
     * Sends the request built by {@code request} (given the Authorization header value, if any) for
     * {@code scope}; on a 401 challenge authenticates and sends it once more. The caller closes the body.
     */
    public HttpResponse<InputStream> send(String action, String scope, Function<Optional<String>, HttpRequest> request) {
        String cached = authorization.get(scope);
        HttpRequest first = request.apply(Optional.ofNullable(cached));
        HttpResponse<InputStream> response;
        try {
            response = exchange(action, first);
        } catch (RegistryException e) {
            // A registry that refuses a request before reading its body answers 401 and closes; with much of the
            // body still unread its kernel resets the connection, which can discard the 401 before we read it. Ask
            // the registry's base endpoint for the challenge instead, and send once more with what it asks for.
            if (cached != null || !(e.getCause() instanceof IOException) || !hasBody(first)) {
                throw e;
            }
            Optional<String> auth = challenge(action, scope, first.uri());
            if (auth.isEmpty()) {
                throw e;
            }
            authorization.put(scope, auth.get());
            return exchange(action, request.apply(auth));
        }
        if (response.statusCode() != 401) {
            return response;
        }
        Optional<String> auth = answer(action, scope, response);
        if (auth.isEmpty()) {
            return response;
        }
        authorization.put(scope, auth.get());
        return exchange(action, request.apply(auth));
    }

    private static boolean hasBody(HttpRequest request) {
        return request.bodyPublisher().map(p -> p.contentLength() != 0).orElse(false);
    }

    /** The Authorization value {@code GET /v2/} of the request's registry asks for, if it asks for one. */
    private Optional<String> challenge(String action, String scope, URI request) {
        HttpResponse<InputStream> base = exchange(action, HttpRequest.newBuilder(
                URI.create(request.getScheme() + "://" + request.getRawAuthority() + "/v2/"))
                .timeout(Duration.ofSeconds(30)).GET().build());
        if (base.statusCode() != 401) {
            close(base);
            return Optional.empty();
        }
        Optional<String> auth = answer(action, scope, base);
        if (auth.isEmpty()) {
            close(base);
        }
        return auth;
    }

    /**
     * The Authorization value that answers a 401's challenge (the response is closed then), or empty when it
     * cannot be answered (the response is left open for the caller).
     */
    private Optional<String> answer(String action, String scope, HttpResponse<InputStream> response) {
        String header = response.headers().firstValue("WWW-Authenticate").orElse("");
        Optional<BearerChallenge> bearer = BearerChallenge.parse(header);
        if (bearer.isPresent()) {
            close(response);
            return Optional.of("Bearer " + token(action, bearer.get(), scope));
        }
        if (header.regionMatches(true, 0, "Basic", 0, 5) && credentials.isPresent()) {
            close(response);
            return Optional.of(credentials.get().basic());
        }
        return Optional.empty();
    }

    /** Sends one request, mapping transport failures to {@link RegistryException}. */
    HttpResponse<InputStream> exchange(String action, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RegistryException(action, "cannot reach " + request.uri().getScheme() + "://"
                    + request.uri().getAuthority() + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(action, "interrupted", e);
        }
    }

    private String token(String action, BearerChallenge challenge, String scope) {
        String wanted = challenge.scope().isEmpty() ? scope : challenge.scope();
        StringBuilder url = new StringBuilder(challenge.realm());
        char sep = challenge.realm().contains("?") ? '&' : '?';
        if (!challenge.service().isEmpty()) {
            url.append(sep).append("service=").append(encode(challenge.service()));
            sep = '&';
        }
        if (!wanted.isEmpty()) {
            url.append(sep).append("scope=").append(encode(wanted));
        }
        URI uri;
        try {
            uri = URI.create(url.toString());
        } catch (IllegalArgumentException e) {
            throw new RegistryException(action, 401, "UNAUTHORIZED", "the registry's token realm \""
                    + challenge.realm() + "\" is not a URL");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new RegistryException(action, 401, "UNAUTHORIZED", "token realm " + uri + " is not http(s)");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        credentials.ifPresent(c -> b.header("Authorization", c.basic()));
        HttpResponse<InputStream> response = exchange(action + " (token)", b.build());
        if (response.statusCode() != 200) {
            RegistryException e = error(action + ": get a token from " + challenge.realm(), response);
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new RegistryException(action, response.statusCode(), e.code(), credentials.isPresent()
                        ? "the registry refused the credentials of " + credentials.get().username()
                        : "anonymous access refused; run bpfstore login");
            }
            throw e;
        }
        JsonNode body = json(action + " (token)", response);
        String token = body.path("token").asText(body.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new RegistryException(action, 200, "UNAUTHORIZED", "token endpoint returned no token");
        }
        return token;
    }

    /** The body of a small JSON response (token, error, store API), size-limited. */
    static JsonNode json(String action, HttpResponse<InputStream> response) {
        byte[] bytes = readLimited(action, response);
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new RegistryException(action, response.statusCode(), "BAD_RESPONSE",
                    "the server's answer is not JSON");
        }
    }

    /** Reads a body of at most {@link #MAX_SMALL_BODY} bytes. */
    static byte[] readLimited(String action, HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_SMALL_BODY + 1);
            if (bytes.length > MAX_SMALL_BODY) {
                throw new RegistryException(action, response.statusCode(), "BAD_RESPONSE",
                        "answer larger than " + MAX_SMALL_BODY + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new RegistryException(action, "reading the answer: " + describe(e), e);
        }
    }

    /**
     * The {@link RegistryException} for an unsuccessful response: the first entry of an OCI error body
     * ({@code {"errors":[{"code","message"}]}}), a store API error ({@code {"error":{"code","message"}}}), or the
     * HTTP status alone.
     */
    static RegistryException error(String action, HttpResponse<InputStream> response) {
        int status = response.statusCode();
        byte[] bytes;
        try {
            bytes = readLimited(action, response);
        } catch (RegistryException e) {
            bytes = new byte[0];
        }
        String code = switch (status) {
            case 401 -> "UNAUTHORIZED";
            case 403 -> "DENIED";
            case 404 -> "NOT_FOUND";
            default -> "HTTP_" + status;
        };
        String message = "";
        try {
            JsonNode root = bytes.length == 0 ? null : JSON.readTree(bytes);
            if (root != null) {
                JsonNode first = root.path("errors").path(0);
                if (first.isMissingNode()) {
                    first = root.path("error");
                }
                if (first.path("code").isTextual()) {
                    code = first.path("code").asText();
                    message = first.path("message").asText("");
                }
            }
        } catch (IOException e) {
            // a plain-text body is the server's own words; an HTML page (a proxy's or a web server's 404) is not
            // a message, and its first line is markup
            boolean plain = response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain");
            message = plain ? new String(bytes, StandardCharsets.UTF_8).lines().findFirst().orElse("") : "";
            if (message.length() > 200) {
                message = message.substring(0, 200) + "...";
            }
        }
        return new RegistryException(action, status, code, message);
    }

    static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // nothing to do: the connection is dropped
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String describe(Throwable e) {
        return switch (e) {
            case java.net.ConnectException c -> "connection refused";
            case java.net.http.HttpConnectTimeoutException t -> "timed out connecting";
            case java.net.http.HttpTimeoutException t -> "timed out";
            case java.net.UnknownHostException u -> "unknown host " + u.getMessage();
            case java.nio.channels.UnresolvedAddressException u -> "unknown host";
            default -> e.getMessage() == null || e.getMessage().isBlank()
                    ? (e.getCause() != null ? describe(e.getCause()) : "connection failed") : e.getMessage();
        };
    }
}
