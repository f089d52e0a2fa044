package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.ToolResult;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A published version keeps its content: pushing other content under it is refused (409 {@code DENIED}, saying to
 * yank and publish a new version), by the protocol and by skopeo, also when yanked and when pushes race; pushing
 * the same manifest again is fine; {@code mutableVersions} turns the rule off.
 */
class ImmutableVersionsTest {
    private static final String REPO = "examples/app";

    @TempDir
    Path tmp;
    TestRegistry registry;
    String key;

    private String start(boolean mutable) throws Exception {
        Path data = tmp.resolve("data");
        key = TestRegistry.createPublisher(data, "alice", "examples");
        registry = TestRegistry.start(data, TestRegistry.config(data).withMutableVersions(mutable));
        return registry.token("repository:" + REPO + ":pull,push", "alice", key);
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private static PackageImage variant(String description) {
        return PackageImage.of(new PackageImage.Spec("examples", "app", "1.0.0", description, "MIT",
                Map.of("f", "xdp"), List.of("xdp"), List.of()));
    }

    private String publishedDigest() throws Exception {
        return registry.getJson("/api/v1/packages/examples/app/1.0.0").path("digest").asText();
    }

    private String taggedDigest(String push) throws Exception {
        return registry.send("GET", "/v2/" + REPO + "/manifests/1.0.0", push, null, null).headers()
                .firstValue("Docker-Content-Digest").orElseThrow();
    }

    @Test
    void otherContentUnderAPublishedVersionIsRefused() throws Exception {
        String push = start(false);
        PackageImage first = variant("first");
        assertEquals(201, registry.push(REPO, "1.0.0", first, push).statusCode());
        assertEquals(201, registry.push(REPO, "1.0.0", first, push).statusCode(), "the same content again is fine");

        HttpResponse<byte[]> refused = registry.push(REPO, "1.0.0", variant("second"), push);
        assertEquals(409, refused.statusCode());
        assertEquals("DENIED", TestRegistry.errorCode(refused));
        String message = TestRegistry.json(refused).path("errors").path(0).path("message").asText();
        assertEquals("examples/app 1.0.0 is already published with other content (" + first.manifestDigest()
                + "); published versions are immutable: yank it (bpfstore yank examples/app@1.0.0) and publish a new "
                + "version instead", message);
        assertEquals(first.manifestDigest().toString(), publishedDigest());
        assertEquals(first.manifestDigest().toString(), taggedDigest(push), "the tag did not move either");

        // Yanked, the version is still taken.
        assertEquals(200, registry.send("POST", "/api/v1/packages/examples/app/1.0.0/yank", key, null, null)
                .statusCode());
        HttpResponse<byte[]> yanked = registry.push(REPO, "1.0.0", variant("third"), push);
        assertEquals(409, yanked.statusCode());
        assertTrue(new String(yanked.body()).contains(", yanked;"), new String(yanked.body()));

        // Other tags stay mutable (only package versions are immutable), and a new version is welcome.
        assertEquals(201, registry.push(REPO, "latest", variant("second"), push).statusCode());
        assertEquals(201, registry.push(REPO, "latest", variant("third"), push).statusCode());
        assertEquals(201, registry.push(REPO, "1.0.1", PackageImage.of(new PackageImage.Spec("examples", "app",
                "1.0.1", "fixed", "MIT", Map.of("f", "xdp"), List.of("xdp"), List.of())), push).statusCode());
    }

    @Test
    void skopeoIsRefusedWithTheReason() throws Exception {
        start(false);
        PackageImage first = variant("first");
        Path one = tmp.resolve("one");
        first.writeLayout(one, "1.0.0");
        Path two = tmp.resolve("two");
        variant("second").writeLayout(two, "1.0.0");
        String ref = "docker://" + registry.hostPort() + "/" + REPO + ":1.0.0";
        ExternalTool.output("skopeo", "copy", "--quiet", "--preserve-digests", "--dest-tls-verify=false",
                "--dest-creds", "alice:" + key, "oci:" + one + ":1.0.0", ref);
        ToolResult refused = ExternalTool.run("skopeo", "copy", "--quiet", "--preserve-digests",
                "--dest-tls-verify=false", "--dest-creds", "alice:" + key, "oci:" + two + ":1.0.0", ref);
        assertNotEquals(0, refused.exit(), refused.combined());
        assertTrue(refused.combined().contains("published versions are immutable: yank it (bpfstore yank "
                + "examples/app@1.0.0) and publish a new version instead"), refused.combined());
        ExternalTool.output("skopeo", "copy", "--quiet", "--preserve-digests", "--dest-tls-verify=false",
                "--dest-creds", "alice:" + key, "oci:" + one + ":1.0.0", ref);
        assertEquals(first.manifestDigest().toString(), publishedDigest());
    }

    @Test
    void racingPushesOfOneNewVersionLeaveExactlyOneWinner() throws Exception {
        String push = start(false);
        List<PackageImage> images = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            images.add(variant("variant " + i));
        }
        // blobs first, so that the manifest PUTs race each other and nothing else
        for (PackageImage image : images) {
            registry.pushBlob(REPO, image.config(), push);
            registry.pushBlob(REPO, image.layer(), push);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Integer> statuses = new ArrayList<>();
        List<String> winners = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<byte[]>>> puts = new ArrayList<>();
            for (PackageImage image : images) {
                puts.add(pool.submit(() -> {
                    go.await();
                    return registry.send("PUT", "/v2/" + REPO + "/manifests/1.0.0", push,
                            "application/vnd.oci.image.manifest.v1+json", image.manifest());
                }));
            }
            go.countDown();
            for (int i = 0; i < puts.size(); i++) {
                int status = puts.get(i).get().statusCode();
                statuses.add(status);
                if (status == 201) {
                    winners.add(images.get(i).manifestDigest().toString());
                }
            }
        }
        assertEquals(1, winners.size(), "statuses " + statuses);
        assertEquals(7, statuses.stream().filter(s -> s == 409).count(), "statuses " + statuses);
        assertEquals(winners.getFirst(), publishedDigest());
        assertEquals(winners.getFirst(), taggedDigest(push));
    }

    @Test
    void aRegistryMayAllowReplacingVersions() throws Exception {
        String push = start(true);
        assertEquals(201, registry.push(REPO, "1.0.0", variant("first"), push).statusCode());
        PackageImage second = variant("second");
        assertEquals(201, registry.push(REPO, "1.0.0", second, push).statusCode());
        assertEquals(second.manifestDigest().toString(), publishedDigest());
        JsonNode pkg = registry.getJson("/api/v1/packages/examples/app");
        assertEquals("second", pkg.path("description").asText());
    }
}
