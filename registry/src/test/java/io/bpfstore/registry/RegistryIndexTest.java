package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.registry.index.IndexReport;
import io.bpfstore.registry.index.IndexReport.Outcome;
import io.bpfstore.registry.index.Origin;
import io.bpfstore.registry.index.RegistryIndexer;
import io.bpfstore.registry.server.DataDirectory;
import io.bpfstore.store.image.Digest;
import io.bpfstore.testsupport.DockerRegistryProcess;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code registry index} against a real docker-registry holding a bpfstore package and a bpfman bytecode image
 * (a layer with the .o and a config whose labels are bpfman's {@code io.ebpf.programs} and {@code io.ebpf.maps}):
 * both become findable, their pages name the origin and show the analysed object, re-indexing fetches only what
 * changed, and a blob with the wrong digest is refused.
 *
 * <p>In both storage set-ups (embedded, PostgreSQL: the origins and image records in the database).
 */
@ParameterizedClass
@EnumSource(StorageSetup.class)
class RegistryIndexTest {
    @Parameter
    StorageSetup setup;

    @TempDir
    Path tmp;
    DockerRegistryProcess origin;

    @BeforeEach
    void startOrigin() throws Exception {
        origin = DockerRegistryProcess.start(Files.createDirectories(tmp.resolve("origin")));
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    /** A bpfman-style bytecode image: one gzip tar layer holding the object, io.ebpf.* labels in the config. */
    static PackageImage bpfmanImage(byte[] object, String description) throws Exception {
        byte[] tar = PackageImage.tar("xdp_counter.o", object);
        byte[] layer = PackageImage.gzip(tar);
        ObjectNode config = PackageImage.JSON.createObjectNode();
        config.put("architecture", "amd64").put("os", "linux");
        ObjectNode labels = config.putObject("config").putObject("Labels");
        labels.put("io.ebpf.programs", "{\"xdp_count\":\"xdp\"}");
        labels.put("io.ebpf.maps", "{\"counters\":\"percpu_array\"}");
        labels.put("org.opencontainers.image.description", description);
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(Digest.of(tar).toString());
        byte[] configBytes = PackageImage.JSON.writeValueAsBytes(config);
        ObjectNode m = PackageImage.JSON.createObjectNode();
        m.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.set("config", PackageImage.descriptor("application/vnd.oci.image.config.v1+json", configBytes));
        m.putArray("layers").add(PackageImage.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer));
        return new PackageImage(configBytes, layer, PackageImage.JSON.writeValueAsBytes(m));
    }

    private void pushToOrigin(PackageImage image, String repository, String tag) throws Exception {
        Path layout = tmp.resolve("layout-" + Digest.of(image.manifest()).hex().substring(0, 12));
        image.writeLayout(layout, tag);
        ExternalTool.output("skopeo", "copy", "--preserve-digests", "--dest-tls-verify=false",
                "oci:" + layout + ":" + tag, "docker://" + origin.hostPort() + "/" + repository + ":" + tag);
    }

    private IndexReport index(Path data, String url) throws Exception {
        try (DataDirectory dir = setup.storage(data).open(1 << 20)) {
            return new RegistryIndexer(dir.blobs(), dir.metadata(), Clock.systemUTC())
                    .index(Origin.parse(url), Optional.empty(), "bpfman");
        }
    }

    private static Map<String, Outcome> outcomes(IndexReport report) {
        return report.tags().stream().collect(Collectors.toMap(t -> t.repository() + ":" + t.tag(),
                IndexReport.Tag::outcome));
    }

    @Test
    void indexesBpfstorePackagesAndBpfmanImagesWithTheirOrigin() throws Exception {
        byte[] object = Files.readAllBytes(ExampleObjects.resolve("xdp_counter.o"));
        pushToOrigin(PackageImage.of(new PackageImage.Spec("acme", "xdp-guard", "1.0.0", "Guards the NIC",
                "GPL-2.0-only", Map.of("xdp_count", "xdp"), List.of("xdp"), List.of("bpf_map_lookup_elem"))),
                "acme/xdp-guard", "1.0.0");
        pushToOrigin(bpfmanImage(object, "Counts packets, bpfman style"), "bpfman-bytecode/xdp_counter", "v0.1.0");
        pushToOrigin(bpfmanImage(object, "Counts packets, bpfman style"), "bpfman-bytecode/xdp_counter", "latest");

        Path data = tmp.resolve("data");
        IndexReport first = index(data, origin.url());
        assertEquals(Map.of("acme/xdp-guard:1.0.0", Outcome.INDEXED, "bpfman-bytecode/xdp_counter:v0.1.0",
                Outcome.INDEXED, "bpfman-bytecode/xdp_counter:latest", Outcome.SKIPPED), outcomes(first),
                first.toString());

        try (TestRegistry registry = TestRegistry.start(setup, data, TestRegistry.config(data))) {
            JsonNode found = registry.getJson("/api/v1/search?q=counts");
            assertEquals("bpfman/xdp-counter@0.1.0", found.path("results").path(0).path("namespace").asText()
                    + "/" + found.path("results").path(0).path("name").asText() + "@"
                    + found.path("results").path(0).path("version").asText(), found.toString());
            JsonNode xdp = registry.getJson("/api/v1/search?type=xdp");
            assertEquals(2, xdp.path("total").asLong(), xdp.toString());

            HttpResponse<byte[]> page = registry.send("GET", "/packages/bpfman/xdp-counter", null, null, null);
            assertEquals(200, page.statusCode());
            String html = new String(page.body(), StandardCharsets.UTF_8);
            assertTrue(html.contains("indexed from " + origin.url() + "/bpfman-bytecode/xdp_counter:v0.1.0"), html);
            assertTrue(html.contains("xdp_count") && html.contains("counters"), "programs and maps from the labels");
            String guard = new String(registry.send("GET", "/packages/acme/xdp-guard", null, null, null).body(),
                    StandardCharsets.UTF_8);
            assertTrue(guard.contains("indexed from " + origin.url() + "/acme/xdp-guard:1.0.0"), guard);
            // pulled through: the copy is served here, byte for byte
            HttpResponse<byte[]> manifest = registry.send("GET", "/v2/acme/xdp-guard/manifests/1.0.0", null, null,
                    null);
            assertEquals(200, manifest.statusCode());
        }

        // Re-indexing fetches nothing for unchanged tags; a new version is indexed.
        pushToOrigin(bpfmanImage(object, "Counts packets, second release"), "bpfman-bytecode/xdp_counter", "v0.2.0");
        IndexReport second = index(data, origin.url());
        assertEquals(Outcome.UNCHANGED, outcomes(second).get("acme/xdp-guard:1.0.0"));
        assertEquals(Outcome.UNCHANGED, outcomes(second).get("bpfman-bytecode/xdp_counter:v0.1.0"));
        assertEquals(Outcome.INDEXED, outcomes(second).get("bpfman-bytecode/xdp_counter:v0.2.0"), second.toString());
        assertEquals(1, second.count(Outcome.INDEXED), second.summary());
    }

    @Test
    void aBlobWithTheWrongDigestAtTheOriginIsRefusedAndNothingIsIndexed() throws Exception {
        byte[] object = Files.readAllBytes(ExampleObjects.resolve("xdp_counter.o"));
        PackageImage image = bpfmanImage(object, "tampered at the origin");
        pushToOrigin(image, "bpfman-bytecode/tampered", "1.0.0");
        Path layer = origin.blobFile(Digest.of(image.layer()).hex());
        byte[] bytes = Files.readAllBytes(layer);
        bytes[bytes.length - 5] ^= 1;
        Files.write(layer, bytes);

        Path data = tmp.resolve("data");
        IndexReport report = index(data, origin.url() + "/bpfman-bytecode/tampered");
        assertEquals(1, report.count(Outcome.REFUSED), report.toString());
        assertTrue(report.tags().getFirst().detail().contains("does not match"), report.toString());
        try (TestRegistry registry = TestRegistry.start(setup, data, TestRegistry.config(data))) {
            assertEquals(0, registry.getJson("/api/v1/search?q=tampered").path("total").asLong());
        }
    }

    @Test
    void aNamespaceOwnedByALocalPublisherIsRefused() throws Exception {
        pushToOrigin(PackageImage.of(new PackageImage.Spec("examples", "impostor", "1.0.0", "claims a local name",
                "GPL-2.0-only", Map.of("xdp_count", "xdp"), List.of("xdp"), List.of("bpf_map_lookup_elem"))),
                "examples/impostor", "1.0.0");
        Path data = tmp.resolve("data");
        TestRegistry.createPublisher(setup, data, "alice", "examples");
        IndexReport report = index(data, origin.url() + "/examples/impostor");
        assertEquals(Outcome.REFUSED, report.tags().getFirst().outcome());
        assertTrue(report.tags().getFirst().detail().contains("belongs to local publisher alice"), report.toString());
    }
}
