package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.store.image.Digest;
import io.bpfstore.testsupport.DockerRegistryProcess;
import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pushes and pulls with skopeo (a real OCI client) and round-trips through the reference registry.
 *
 * <p>In each storage set-up of {@link StorageSetup#contract()}: embedded with files or an OCI blob store, and
 * PostgreSQL with an OCI blob store.
 */
@ParameterizedClass
@MethodSource("io.bpfstore.registry.StorageSetup#contract")
@ExtendWith(SharedDockerRegistry.class)
class SkopeoInteropTest {
    /** Where the registry under test keeps its metadata. */
    @Parameter(0)
    StorageSetup setup;

    /** Where the registry under test keeps blobs. */
    @Parameter(1)
    BlobBackend backend;

    @TempDir
    Path tmp;
    TestRegistry registry;
    String token;

    @BeforeEach
    void start() throws Exception {
        Path data = tmp.resolve("data");
        token = TestRegistry.createPublisher(setup, data, "alice", "examples");
        registry = TestRegistry.start(setup, data, backend.apply(TestRegistry.config(data)));
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    private static final PackageImage.Spec SPEC = ScaledRegistryTest.spec("1.0.0", "Counts packets per CPU");

    @Test
    void skopeoPushesWithTokenFlowAndPullsBackIdenticalBytes() throws Exception {
        PackageImage image = PackageImage.of(SPEC);
        Path src = tmp.resolve("src");
        image.writeLayout(src, "1.0.0");
        String ref = "docker://" + registry.hostPort() + "/examples/xdp-counter:1.0.0";
        ExternalTool.output("skopeo", "copy", "--preserve-digests", "--dest-tls-verify=false", "--dest-creds", "alice:" + token,
                "oci:" + src + ":1.0.0", ref);

        Path dst = tmp.resolve("dst");
        ExternalTool.output("skopeo", "copy", "--src-tls-verify=false", ref, "oci:" + dst + ":1.0.0");
        JsonNode index = TestRegistry.JSON.readTree(dst.resolve("index.json").toFile());
        String manifestDigest = index.path("manifests").path(0).path("digest").asText();
        assertEquals(image.manifestDigest().toString(), manifestDigest);
        for (byte[] blob : List.of(image.manifest(), image.config(), image.layer())) {
            assertArrayEquals(blob, Files.readAllBytes(dst.resolve("blobs/sha256").resolve(Digest.of(blob).hex())));
        }

        JsonNode inspect = TestRegistry.JSON.readTree(ExternalTool.output("skopeo", "inspect", "--tls-verify=false", ref));
        assertEquals(image.manifestDigest().toString(), inspect.path("Digest").asText());
        assertTrue(inspect.path("Labels").has("io.bpfstore.package"), inspect.toString());
        byte[] raw = ExternalTool.output("skopeo", "inspect", "--raw", "--tls-verify=false", ref).getBytes();
        assertArrayEquals(image.manifest(), raw);
        // The push was indexed as a package.
        assertEquals("1.0.0", registry.getJson("/api/v1/packages/examples/xdp-counter").path("latest").asText());
    }

    @Test
    void roundTripThroughReferenceRegistryThenListAndDelete() throws Exception {
        PackageImage image = PackageImage.of(SPEC);
        assertEquals(201, registry.push("examples/xdp-counter", "1.0.0", image,
                registry.token("repository:examples/xdp-counter:pull,push", "alice", token)).statusCode());
        String ours = "docker://" + registry.hostPort() + "/examples/xdp-counter";
        try (DockerRegistryProcess reference = DockerRegistryProcess.start(tmp.resolve("reference"))) {
            String theirs = "docker://" + reference.hostPort() + "/examples/xdp-counter";
            ExternalTool.output("skopeo", "copy", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
                    ours + ":1.0.0", theirs + ":1.0.0");
            assertArrayEquals(image.manifest(),
                    ExternalTool.output("skopeo", "inspect", "--raw", "--tls-verify=false", theirs + ":1.0.0").getBytes());
            ExternalTool.output("skopeo", "copy", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
                    "--dest-creds", "alice:" + token, theirs + ":1.0.0", ours + ":roundtrip");
        }
        assertArrayEquals(image.manifest(),
                ExternalTool.output("skopeo", "inspect", "--raw", "--tls-verify=false", ours + ":roundtrip").getBytes());

        JsonNode tags = TestRegistry.JSON.readTree(ExternalTool.output("skopeo", "list-tags", "--tls-verify=false", ours));
        List<String> names = new ArrayList<>();
        tags.path("Tags").forEach(t -> names.add(t.asText()));
        assertEquals(List.of("1.0.0", "roundtrip"), names);

        // skopeo deletes by digest: both tags go, and the package version with them.
        ExternalTool.output("skopeo", "delete", "--tls-verify=false", "--creds", "alice:" + token, ours + ":roundtrip");
        JsonNode after = TestRegistry.JSON.readTree(ExternalTool.output("skopeo", "list-tags", "--tls-verify=false", ours));
        assertEquals(0, after.path("Tags").size(), after.toString());
        ToolResult gone = ExternalTool.run("skopeo", "inspect", "--raw", "--tls-verify=false", ours + ":1.0.0");
        assertTrue(gone.exit() != 0, gone.combined());
        assertEquals(404, registry.send("GET", "/api/v1/packages/examples/xdp-counter", null, null, null)
                .statusCode());
    }
}
