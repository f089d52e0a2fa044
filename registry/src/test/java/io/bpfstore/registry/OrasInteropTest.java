package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.store.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import land.oras.ArtifactType;
import land.oras.ContainerRef;
import land.oras.CopyUtils;
import land.oras.LayoutRef;
import land.oras.LocalPath;
import land.oras.Manifest;
import land.oras.ManifestDescriptor;
import land.oras.OCILayout;
import land.oras.Registry;
import land.oras.exception.OrasException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pushes and pulls with ORAS's own Java client (oras-project/oras-java), a second real OCI client beside skopeo: the
 * oras CLI is a Go program in no registry these machines reach, the SDK is the ORAS project's client for the JVM and
 * speaks the distribution protocol, the bearer-token flow and the referrers API by itself.
 *
 * <p>In each storage set-up of {@link StorageSetup#contract()}: embedded with files or an OCI blob store, and
 * PostgreSQL with an OCI blob store.
 */
@ParameterizedClass
@MethodSource("io.bpfstore.registry.StorageSetup#contract")
@ExtendWith(SharedDockerRegistry.class)
class OrasInteropTest {
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
    Registry oras;
    /** The SDK's own temporary files present before the test (it leaves the ones it copies streams to). */
    Set<Path> sdkFilesBefore;

    private static final PackageImage.Spec SPEC = ScaledRegistryTest.spec("1.0.0", "Counts packets per CPU");

    @BeforeEach
    void start() throws Exception {
        sdkFilesBefore = sdkTempFiles();
        Path data = tmp.resolve("data");
        token = TestRegistry.createPublisher(setup, data, "alice", "examples");
        registry = TestRegistry.start(setup, data, backend.apply(TestRegistry.config(data)));
        // plain HTTP on loopback; ORAS asks /token with these credentials when the registry answers 401 Bearer
        oras = Registry.builder().insecure(registry.hostPort(), "alice", token).build();
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
        for (Path left : sdkTempFiles()) {
            if (!sdkFilesBefore.contains(left)) {
                Files.deleteIfExists(left);
            }
        }
    }

    /** The files the SDK names oras*layer, oras*blob, oras*.tar in the temporary directory. */
    private static Set<Path> sdkTempFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith("oras") && (n.endsWith("layer") || n.endsWith("blob") || n.endsWith(".tar"));
            }).collect(Collectors.toSet());
        }
    }

    private ContainerRef ref(String repositoryAndTag) {
        return ContainerRef.parse(registry.hostPort() + "/" + repositoryAndTag);
    }

    @Test
    void orasCopiesAPackageLayoutInAndBackOutByteForByte() throws Exception {
        PackageImage image = PackageImage.of(SPEC);
        Path src = tmp.resolve("src");
        image.writeLayout(src, "1.0.0");
        OCILayout from = OCILayout.Builder.builder().defaults(src).build();
        CopyUtils.copy(from, LayoutRef.of(from).withTag("1.0.0"), oras, ref("examples/xdp-counter:1.0.0"),
                CopyUtils.CopyOptions.shallow());

        // what the registry keeps is the package as written, and it was indexed as a push
        assertEquals(image.manifestDigest().toString(), oras.getDescriptor(ref("examples/xdp-counter:1.0.0"))
                .getDigest());
        assertEquals("1.0.0", registry.getJson("/api/v1/packages/examples/xdp-counter").path("latest").asText());
        assertEquals(List.of("1.0.0"), oras.getTags(ref("examples/xdp-counter")).tags());
        for (byte[] blob : List.of(image.config(), image.layer())) {
            // fetchBlob streams bytes; the SDK's getBlob decodes the body as UTF-8 text, which a binary layer is not
            try (InputStream in = oras.fetchBlob(ref("examples/xdp-counter").withDigest(Digest.of(blob).toString()))) {
                assertArrayEquals(blob, in.readAllBytes(), "blob " + Digest.of(blob));
            }
        }

        Path dst = tmp.resolve("dst");
        OCILayout to = OCILayout.Builder.builder().defaults(dst).build();
        CopyUtils.copy(oras, ref("examples/xdp-counter:1.0.0"), to, LayoutRef.of(to).withTag("1.0.0"),
                CopyUtils.CopyOptions.shallow());
        for (byte[] blob : List.of(image.manifest(), image.config(), image.layer())) {
            assertArrayEquals(blob, Files.readAllBytes(dst.resolve("blobs/sha256").resolve(Digest.of(blob).hex())),
                    "blob " + Digest.of(blob) + " pulled back unchanged");
        }
    }

    @Test
    void orasPushesAFileArtifactAttachesAReferrerAndPullsItBack() throws Exception {
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "what this package counts and why\n");
        Manifest pushed = oras.pushArtifact(ref("examples/notes:v1"),
                ArtifactType.from("application/vnd.bpfstore.test.notes"), LocalPath.of(notes));
        Path pulled = Files.createDirectories(tmp.resolve("pulled"));
        oras.pullArtifact(ref("examples/notes:v1"), pulled, true);
        assertEquals(Files.readString(notes), Files.readString(pulled.resolve("notes.txt")));

        Path sbom = Files.writeString(tmp.resolve("sbom.json"), "{\"packages\":[]}\n");
        ContainerRef subject = ref("examples/notes").withDigest(pushed.getDigest());
        Manifest attached = oras.attachArtifact(subject, ArtifactType.from("application/vnd.bpfstore.test.sbom"),
                LocalPath.of(sbom));
        List<ManifestDescriptor> referrers = oras.getReferrers(subject, null).getManifests();
        assertEquals(1, referrers.size(), "one referrer: " + referrers);
        assertEquals(attached.getDigest(), referrers.getFirst().getDigest());
        assertEquals("application/vnd.bpfstore.test.sbom", referrers.getFirst().getArtifactType());
        assertTrue(oras.getReferrers(subject, ArtifactType.from("application/vnd.bpfstore.test.other"))
                .getManifests().isEmpty(), "the artifactType filter applies");

        oras.deleteManifest(ref("examples/notes:v1"));
        assertFalse(oras.getTags(ref("examples/notes")).tags().contains("v1"));
    }

    @Test
    void orasWithoutPushRightsIsRefusedAndNothingIsStored() throws Exception {
        Registry anonymous = Registry.builder().insecure().withRegistry(registry.hostPort()).build();
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "not allowed\n");
        assertThrows(OrasException.class, () -> anonymous.pushArtifact(ref("examples/notes:v1"),
                ArtifactType.from("application/vnd.bpfstore.test.notes"), LocalPath.of(notes)));
        assertEquals(404, registry.send("GET", "/v2/examples/notes/manifests/v1",
                registry.token("repository:examples/notes:pull", "alice", token), null, null).statusCode());
    }
}
