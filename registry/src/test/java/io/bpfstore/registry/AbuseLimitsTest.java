package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.registry.limits.RegistryLimits;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, items 4 and 6: what an anonymous crowd or a greedy publisher can make the registry hold or check is
 * capped, with a clear error (429 with Retry-After, or 413), and every response forbids sniffing and framing.
 */
class AbuseLimitsTest {
    static final String REPO = "acme/app";

    @TempDir
    Path tmp;
    TestRegistry registry;
    String key;

    private TestRegistry start(RegistryLimits limits) throws Exception {
        Path data = tmp.resolve("data");
        key = TestRegistry.createPublisher(data, "acme-corp", "acme");
        registry = TestRegistry.start(data, TestRegistry.config(data).withLimits(limits));
        return registry;
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private HttpResponse<byte[]> token(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(registry.uri("/token?service=bpfstore&scope=repository:"
                + REPO + ":pull,push"));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return registry.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void uploadSessionsPerPublisherAreCapped() throws Exception {
        start(RegistryLimits.DEFAULT.withUploads(2, 256, 1L << 20, 1L << 30));
        String push = registry.token("repository:" + REPO + ":pull,push", "acme-corp", key);
        for (int i = 0; i < 2; i++) {
            assertEquals(202, registry.send("POST", "/v2/" + REPO + "/blobs/uploads/", push, null, null).statusCode());
        }
        HttpResponse<byte[]> third = registry.send("POST", "/v2/" + REPO + "/blobs/uploads/", push, null, null);
        assertEquals(429, third.statusCode());
        assertEquals("TOOMANYREQUESTS", TestRegistry.errorCode(third));
        assertTrue(third.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void stagedBytesPerPublisherAreCappedAndTheUploadDropped() throws Exception {
        start(RegistryLimits.DEFAULT.withUploads(16, 256, 1000, 1L << 30));
        String push = registry.token("repository:" + REPO + ":pull,push", "acme-corp", key);
        HttpResponse<byte[]> started = registry.send("POST", "/v2/" + REPO + "/blobs/uploads/", push, null, null);
        String location = started.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> r = registry.send("PATCH", location, push, "application/octet-stream", new byte[2000]);
        assertEquals(413, r.statusCode());
        assertEquals("SIZE_INVALID", TestRegistry.errorCode(r));
        assertEquals(404, registry.send("GET", location, push, null, null).statusCode(), "the session is gone");
    }

    @Test
    void aContentRangeBeyondALongIsABadRequestNotAServerError() throws Exception {
        start(RegistryLimits.DEFAULT);
        String push = registry.token("repository:" + REPO + ":pull,push", "acme-corp", key);
        String location = registry.send("POST", "/v2/" + REPO + "/blobs/uploads/", push, null, null).headers()
                .firstValue("Location").orElseThrow();
        HttpResponse<byte[]> r = registry.http.send(HttpRequest.newBuilder(registry.uri(location))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[1]))
                .header("Authorization", "Bearer " + push)
                .header("Content-Range", "0-9999999999999999999").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(400, r.statusCode());
        assertEquals("BLOB_UPLOAD_INVALID", TestRegistry.errorCode(r));
    }

    @Test
    void failedLoginsAreRateLimitedPerAddressAndAccount() throws Exception {
        start(RegistryLimits.DEFAULT.withRates(3, 1000));
        for (int i = 0; i < 4; i++) {
            assertEquals(401, token(TestRegistry.basic("acme-corp", "bpfs_wrong" + i)).statusCode());
        }
        // over the limit: refused before the credentials are looked at, even the right ones
        HttpResponse<byte[]> r = token(TestRegistry.basic("acme-corp", key));
        assertEquals(429, r.statusCode());
        long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 61, "Retry-After " + retry);
    }

    @Test
    void tokenRequestsAreRateLimitedPerAddress() throws Exception {
        start(RegistryLimits.DEFAULT.withRates(1000, 5));
        for (int i = 0; i < 5; i++) {
            assertEquals(200, token(null).statusCode());
        }
        HttpResponse<byte[]> r = token(null);
        assertEquals(429, r.statusCode());
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void everyResponseForbidsSniffingAndFraming() throws Exception {
        start(RegistryLimits.DEFAULT);
        for (String path : new String[] {"/v2/", "/token", "/api/v1/search?q=x", "/", "/nowhere", "/v2/acme/app/tags/list"}) {
            HttpResponse<byte[]> r = registry.send("GET", path, null, null, null);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"),
                    path);
        }
    }

    @Test
    void theWebSearchRefusesTooLongTermsAsTheApiDoes() throws Exception {
        start(RegistryLimits.DEFAULT);
        String q = "x".repeat(257);
        HttpResponse<byte[]> api = registry.send("GET", "/api/v1/search?q=" + q, null, null, null);
        HttpResponse<byte[]> web = registry.send("GET", "/search?q=" + q, null, null, null);
        assertEquals(400, api.statusCode());
        assertEquals(400, web.statusCode());
        String message = TestRegistry.json(api).path("error").path("message").asText();
        assertEquals("q is longer than 256 characters", message);
        assertTrue(new String(web.body(), java.nio.charset.StandardCharsets.UTF_8).contains(message));
    }

    @Test
    void browsersGetAnHtml404ClientsJson() throws Exception {
        start(RegistryLimits.DEFAULT);
        HttpResponse<byte[]> browser = registry.http.send(HttpRequest.newBuilder(registry.uri("/nowhere"))
                .header("Accept", "text/html,application/xhtml+xml").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(404, browser.statusCode());
        assertTrue(browser.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        HttpResponse<byte[]> client = registry.send("GET", "/nowhere", null, null, null);
        assertEquals(404, client.statusCode());
        assertEquals("not_found", TestRegistry.json(client).path("error").path("code").asText());
    }
}
