package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.store.image.Digest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many clients at once: one tag ends on exactly one manifest, and pulls never see torn state. */
class ConcurrencyTest {
    static final String REPO = "examples/app";
    static final int PUSHERS = 16;

    // replaceable versions, so that every racing push stores its manifest (ImmutableVersionsTest races the default)
    @RegisterExtension
    final TestRegistry.Session session = new TestRegistry.Session("alice", REPO, c -> c.withMutableVersions(true));

    private static PackageImage variant(int i) {
        return PackageImage.of(new PackageImage.Spec("examples", "app", "1.0.0", "variant " + i, "MIT",
                Map.of("f", "xdp"), List.of("xdp"), List.of()));
    }

    @Test
    void parallelPushesOfOneTagLeaveOneManifestAndAConsistentIndex() throws Exception {
        List<PackageImage> images = new ArrayList<>();
        for (int i = 0; i < PUSHERS; i++) {
            images.add(variant(i));
        }
        Set<String> pushed = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean pushing = new AtomicBoolean(true);
        List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> pushes = new ArrayList<>();
            for (PackageImage image : images) {
                pushes.add(pool.submit(() -> {
                    go.await();
                    HttpResponse<byte[]> r = session.registry().push(REPO, "1.0.0", image, session.push());
                    assertEquals(201, r.statusCode(), new String(r.body()));
                    pushed.add(image.manifestDigest().toString());
                    return null;
                }));
            }
            // Pullers run during the pushes: whatever they see must be whole.
            List<Future<?>> pulls = new ArrayList<>();
            for (int p = 0; p < 8; p++) {
                pulls.add(pool.submit(() -> {
                    go.await();
                    while (pushing.get()) {
                        HttpResponse<byte[]> m = session.registry().send("GET", "/v2/" + REPO + "/manifests/1.0.0",
                                session.push(), null, null);
                        if (m.statusCode() == 404) {
                            continue; // not pushed yet
                        }
                        String digest = m.headers().firstValue("Docker-Content-Digest").orElseThrow();
                        if (!Digest.of(m.body()).toString().equals(digest)) {
                            problems.add("manifest body does not match its digest header");
                        }
                        JsonNode manifest = TestRegistry.JSON.readTree(m.body());
                        for (JsonNode layer : manifest.path("layers")) {
                            HttpResponse<byte[]> b = session.registry().send("GET", "/v2/" + REPO + "/blobs/"
                                    + layer.path("digest").asText(), session.push(), null, null);
                            if (b.statusCode() != 200 || !Digest.of(b.body()).toString()
                                    .equals(layer.path("digest").asText())) {
                                problems.add("layer of a visible manifest is missing or corrupt");
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : pushes) {
                f.get();
            }
            pushing.set(false);
            for (Future<?> f : pulls) {
                f.get();
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(PUSHERS, pushed.size());
        HttpResponse<byte[]> tags = session.registry().send("GET", "/v2/" + REPO + "/tags/list", session.push(), null, null);
        assertEquals(1, TestRegistry.json(tags).path("tags").size());
        HttpResponse<byte[]> m = session.registry().send("GET", "/v2/" + REPO + "/manifests/1.0.0", session.push(), null, null);
        String winner = m.headers().firstValue("Docker-Content-Digest").orElseThrow();
        assertTrue(pushed.contains(winner));
        JsonNode pkg = session.registry().getJson("/api/v1/packages/examples/app");
        assertEquals(1, pkg.path("versions").size());
        assertEquals(winner, pkg.path("versions").path(0).path("digest").asText(), "index agrees with the tag");

        // Parallel pulls of the settled tag all get the same bytes.
        byte[] expected = m.body();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> pulls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                pulls.add(pool.submit(() -> session.registry().send("GET", "/v2/" + REPO + "/manifests/1.0.0", session.push(), null,
                        null).body()));
            }
            for (Future<byte[]> f : pulls) {
                assertArrayEquals(expected, f.get());
            }
        }
        long before = pkg.path("versions").path(0).path("downloads").asLong();
        assertEquals(64, session.registry().getJson("/api/v1/packages/examples/app/1.0.0").path("downloads").asLong() - before,
                "every pull counted once");
    }
}
