package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.testsupport.ExternalTool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code push} and {@code pull} against a real docker-registry (distribution 2.8) on 127.0.0.1, checked with
 * skopeo; {@code login} writes its credentials file with mode 0600; tampered layouts are refused.
 */
class StoreRegistryCommandsTest extends DockerRegistryCommandTest {

    @Test
    void pushThenPullIsByteIdenticalAndSkopeoAgrees() throws IOException {
        Path layout = packaged("xdp_counter.o", "examples");
        Cli.Result push = Cli.run("push", layout.toString(), "--registry", REGISTRY.url());
        assertEquals(0, push.exit(), push.err());
        assertTrue(push.out().startsWith("pushed examples/xdp-counter:0.1.0"), push.out());
        String digest = Json.mapper().readTree(Files.readAllBytes(layout.resolve("index.json")))
                .path("manifests").path(0).path("digest").asText();
        JsonNode inspect = Json.mapper().readTree(ExternalTool.output("skopeo", "inspect", "--tls-verify=false",
                "docker://" + REGISTRY.hostPort() + "/examples/xdp-counter:0.1.0"));
        assertEquals(digest, inspect.path("Digest").asText());

        Path pulled = dir.resolve("pulled");
        Cli.Result pull = Cli.run("pull", "examples/xdp-counter@0.1.0", "--allow-unsigned", "--registry", REGISTRY.url(),
                "--out", pulled.toString());
        assertEquals(0, pull.exit(), pull.err());
        assertIdentical(layout, pulled);

        // Without a version: the registry has no store API, so the highest released tag is taken.
        Path latest = dir.resolve("latest");
        Cli.Result pullLatest = Cli.run("pull", "examples/xdp-counter", "--allow-unsigned", "--registry", REGISTRY.url(),
                "--out", latest.toString());
        assertEquals(0, pullLatest.exit(), pullLatest.err());
        assertIdentical(layout, latest);

        // By digest, with the registry from the environment-equivalent config file.
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/config.yaml"), "registry: " + REGISTRY.url() + "\n");
        Path byDigest = dir.resolve("by-digest");
        Cli.Result pullDigest = Cli.run("pull", "examples/xdp-counter@" + digest, "--allow-unsigned", "--out",
                byDigest.toString());
        assertEquals(0, pullDigest.exit(), pullDigest.err());
        assertIdentical(layout, byDigest);
    }

    @Test
    void chunkedPushIsReadBackBySkopeo() throws IOException {
        Path layout = packaged("tc_flow_bytes.o", "chunks");
        Cli.Result push = Cli.run("push", layout.toString(), "--registry", REGISTRY.url(), "--chunk-size", "1000");
        assertEquals(0, push.exit(), push.err());
        Path copy = dir.resolve("skopeo");
        ExternalTool.output("skopeo", "copy", "--quiet", "--src-tls-verify=false",
                "docker://" + REGISTRY.hostPort() + "/chunks/tc-flow-bytes:0.1.0", "oci:" + copy + ":0.1.0");
        assertIdentical(layout, copy);
    }

    @Test
    void tamperedLayoutIsNotPushed() throws IOException {
        Path layout = packaged("socket_filter.o", "tamper");
        try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
            Path biggest = blobs.max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
            byte[] bytes = Files.readAllBytes(biggest);
            bytes[10] ^= 1;
            Files.write(biggest, bytes);
            Cli.Result push = Cli.run("push", layout.toString(), "--registry", REGISTRY.url());
            assertEquals(1, push.exit());
            assertTrue(push.err().contains("sha256:" + biggest.getFileName()), push.err());
        }
        Cli.Result pull = Cli.run("pull", "tamper/socket-filter@0.1.0", "--allow-unsigned", "--registry", REGISTRY.url(),
                "--out", dir.resolve("nothing").toString());
        assertEquals(1, pull.exit());
        assertTrue(pull.err().contains("MANIFEST_UNKNOWN") || pull.err().contains("NAME_UNKNOWN"), pull.err());
        assertFalse(Files.exists(dir.resolve("nothing")));
    }

    @Test
    void loginSavesCredentialsReadableOnlyByTheOwner() throws IOException {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("tok-123\n".getBytes(StandardCharsets.UTF_8)));
            Cli.Result r = Cli.run("login", "--registry", REGISTRY.url(), "--username", "examples", "--password-stdin");
            assertEquals(0, r.exit(), r.err());
        } finally {
            System.setIn(stdin);
        }
        Path credentials = dir.resolve("config/credentials.yaml");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)));
        String text = Files.readString(credentials);
        assertTrue(text.contains(REGISTRY.url()) && text.contains("username: \"examples\"")
                && text.contains("tok-123"), text);
        // Pushing afterwards uses them; docker-registry without auth ignores them.
        assertEquals(0, Cli.run("push", packaged("loops.o", "examples").toString(), "--registry", REGISTRY.url()).exit());
    }

    @Test
    void noRegistryAnywhereIsOneClearLine() {
        Cli.Result r = Cli.run("pull", "examples/x@1.0.0");
        if (System.getenv("BPFSTORE_REGISTRY") == null) {
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("no registry given"), r.err());
        }
        Cli.Result bad = Cli.run("pull", "Examples/X@1.0", "--registry", REGISTRY.url());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().startsWith("bpfstore pull: \"Examples/X@1.0\": namespace"), bad.err());
    }

    private static void assertIdentical(Path expected, Path actual) throws IOException {
        try (Stream<Path> s = Files.list(expected.resolve("blobs/sha256"))) {
            for (Path blob : s.toList()) {
                assertArrayEquals(Files.readAllBytes(blob),
                        Files.readAllBytes(actual.resolve("blobs/sha256").resolve(blob.getFileName())), blob.toString());
            }
        }
        assertEquals(Json.mapper().readTree(Files.readAllBytes(expected.resolve("index.json"))).path("manifests")
                        .path(0).path("digest"),
                Json.mapper().readTree(Files.readAllBytes(actual.resolve("index.json"))).path("manifests").path(0)
                        .path("digest"));
    }
}
