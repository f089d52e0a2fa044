package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.build.PackageMetadata;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.PushResult;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.client.RegistryException;
import io.bpfstore.testsupport.DockerRegistryExtension;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our layouts and our client against the real OCI tools: skopeo (reads and copies layouts, pushes to and pulls
 * from a registry) and docker-registry (distribution 2.8) on 127.0.0.1.
 */
class RegistryInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final DockerRegistryExtension REGISTRY = new DockerRegistryExtension();

    @TempDir
    Path dir;

    private Image image(String object) throws IOException {
        return PackageBuilder.build(Optional.of(ExampleObjects.dir().resolve(object)), Optional.empty(), List.of());
    }

    private Path layout(Image image, String name) throws IOException {
        Path out = dir.resolve(name);
        OciLayout.write(image, "0.1.0", out);
        return out;
    }

    @Test
    void skopeoInspectsAndCopiesOurLayout() throws IOException {
        Image image = image("xdp_counter.o");
        Path ours = layout(image, "ours");
        JsonNode inspect = JSON.readTree(ExternalTool.output("skopeo", "inspect", "oci:" + ours + ":0.1.0"));
        assertEquals(image.digest().toString(), inspect.path("Digest").asText());
        assertEquals(image.label(PackageMetadata.PACKAGE_LABEL).orElseThrow(),
                inspect.path("Labels").path(PackageMetadata.PACKAGE_LABEL).asText());
        assertEquals(image.manifest().layers().getFirst().digest().toString(), inspect.path("Layers").path(0).asText());
        JsonNode raw = JSON.readTree(ExternalTool.output("skopeo", "inspect", "--raw", "oci:" + ours + ":0.1.0"));
        assertEquals(JSON.readTree(image.manifestBytes()), raw);

        Path copy = dir.resolve("copy");
        ExternalTool.output("skopeo", "copy", "--quiet", "oci:" + ours + ":0.1.0", "oci:" + copy + ":0.1.0");
        Image back = OciLayout.read(copy, Optional.of("0.1.0"));
        assertArrayEquals(image.manifestBytes(), back.manifestBytes(), "skopeo kept the manifest byte for byte");
        assertEquals(image.digest(), back.digest());
    }

    @Test
    void whatSkopeoPushesOurClientPullsBackIdentical() throws IOException {
        Image image = image("tc_flow_bytes.o");
        Path ours = layout(image, "ours");
        String ref = REGISTRY.hostPort() + "/examples/tc-flow-bytes:0.1.0";
        ExternalTool.output("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "oci:" + ours + ":0.1.0", "docker://" + ref);
        RegistryClient client = new RegistryClient(URI.create(REGISTRY.url()), Optional.empty());
        Path pulled = dir.resolve("pulled");
        Descriptor d = client.pull("examples/tc-flow-bytes", "0.1.0", "0.1.0", pulled);
        assertEquals(image.digest(), d.digest());
        assertLayoutsIdentical(ours, pulled, image);
        // And by digest.
        Path byDigest = dir.resolve("by-digest");
        client.pull("examples/tc-flow-bytes", image.digest().toString(), "0.1.0", byDigest);
        assertLayoutsIdentical(ours, byDigest, image);
    }

    @Test
    void whatOurClientPushesSkopeoPullsBackIdentical() throws IOException {
        Image image = image("xdp_firewall.o");
        RegistryClient client = new RegistryClient(URI.create(REGISTRY.url()), Optional.empty());
        PushResult first = client.push(image, "examples/xdp-firewall", "1.0.0", PushOptions.DEFAULT);
        assertEquals(2, first.uploaded());
        assertEquals(image.digest(), first.digest());
        // A second push finds every blob already there (HEAD) and uploads nothing.
        PushResult again = client.push(image, "examples/xdp-firewall", "1.0.0", PushOptions.DEFAULT);
        assertEquals(0, again.uploaded());
        assertEquals(2, again.skipped());

        Path copy = dir.resolve("skopeo");
        ExternalTool.output("skopeo", "copy", "--quiet", "--src-tls-verify=false",
                "docker://" + REGISTRY.hostPort() + "/examples/xdp-firewall:1.0.0", "oci:" + copy + ":1.0.0");
        assertLayoutsIdentical(layout(image, "ours"), copy, image);
        JsonNode inspect = JSON.readTree(ExternalTool.output("skopeo", "inspect", "--tls-verify=false",
                "docker://" + REGISTRY.hostPort() + "/examples/xdp-firewall:1.0.0"));
        assertEquals(image.digest().toString(), inspect.path("Digest").asText());
    }

    @Test
    void chunkedUploadAndCrossRepositoryMount() throws IOException {
        Image image = image("subprog_calls.o");
        RegistryClient client = new RegistryClient(URI.create(REGISTRY.url()), Optional.empty());
        long layerSize = image.manifest().layers().getFirst().size();
        PushResult chunked = client.push(image, "examples/subprog-calls", "0.1.0", new PushOptions(layerSize / 3 + 1,
                Optional.empty()));
        assertEquals(2, chunked.uploaded());
        Path copy = dir.resolve("chunked");
        ExternalTool.output("skopeo", "copy", "--quiet", "--src-tls-verify=false",
                "docker://" + REGISTRY.hostPort() + "/examples/subprog-calls:0.1.0", "oci:" + copy + ":0.1.0");
        assertLayoutsIdentical(layout(image, "ours"), copy, image);

        PushResult mounted = client.push(image, "mirror/subprog-calls", "0.1.0",
                new PushOptions(0, Optional.of("examples/subprog-calls")));
        assertEquals(2, mounted.mounted(), mounted.toString());
        assertEquals(0, mounted.uploaded());
        Path mirror = dir.resolve("mirror");
        ExternalTool.output("skopeo", "copy", "--quiet", "--src-tls-verify=false",
                "docker://" + REGISTRY.hostPort() + "/mirror/subprog-calls:0.1.0", "oci:" + mirror + ":0.1.0");
        assertArrayEquals(image.manifestBytes(), OciLayout.read(mirror, Optional.empty()).manifestBytes());
    }

    @Test
    void unknownTagIsTheRegistrysErrorCode() {
        RegistryClient client = new RegistryClient(URI.create(REGISTRY.url()), Optional.empty());
        RegistryException e = assertThrows(RegistryException.class,
                () -> client.pull("examples/nothing-here", "9.9.9", "9.9.9", dir.resolve("none")));
        assertEquals(404, e.status());
        // The distribution spec allows either code for a repository that does not exist.
        assertEquals(true, java.util.Set.of("NAME_UNKNOWN", "MANIFEST_UNKNOWN").contains(e.code()), e.getMessage());
        assertEquals(false, Files.exists(dir.resolve("none")));
    }

    /** Manifest and every blob of {@code image} are byte-identical in both layouts. */
    private static void assertLayoutsIdentical(Path expected, Path actual, Image image) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        files.add(Path.of("blobs/sha256", image.digest().hex()));
        for (Descriptor d : Image.referenced(image.manifest())) {
            files.add(Path.of("blobs/sha256", d.digest().hex()));
        }
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)), f.toString());
        }
        assertArrayEquals(image.manifestBytes(), OciLayout.read(actual, Optional.empty()).manifestBytes());
    }
}
