package io.bpfstore.registry.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.registry.auth.Publishers;
import io.bpfstore.registry.server.DataDirectory;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.ImageEdits;
import io.bpfstore.store.build.PackageMetadata;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.MediaTypes;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.client.RegistryException;
import io.bpfstore.store.signing.SignatureLayer;
import io.bpfstore.store.signing.SignatureManifest;
import io.bpfstore.store.signing.Signer;
import io.bpfstore.store.signing.SigningKey;
import io.bpfstore.store.signing.SimpleSigningPayload;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.TestPrograms;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's push checks through the real HTTP API and the real client: permissions and signatures. */
class PushChecksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POKE = TestPrograms.PROBE_WRITE_USER;

    @TempDir
    Path dir;
    private RegistryServer server;
    private RegistryClient client;

    @BeforeEach
    void start() throws Exception {
        String token;
        try (MetadataStore meta = DataDirectory.openMetadata(dir.resolve("data"))) {
            token = new Publishers(meta.accounts()).create("acme-corp", List.of("acme")).token();
        }
        server = RegistryServer.start(RegistryConfig.of("127.0.0.1", 0, dir.resolve("data")));
        client = new RegistryClient(server.uri(), Optional.of(new Credentials("acme-corp", token)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Administers publishers offline on the data directory while the server runs, as bpfstore publisher does. */
    private void withPublishers(Consumer<Publishers> action) throws Exception {
        try (MetadataStore meta = DataDirectory.openMetadata(dir.resolve("data"))) {
            action.accept(new Publishers(meta.accounts()));
        }
    }

    private Image poke(String permissions) throws Exception {
        Files.writeString(dir.resolve("poke.c"), POKE);
        Files.writeString(dir.resolve("bpfstore.yaml"), "name: poke\nnamespace: acme\nversion: 1.0.0\n"
                + "license: GPL-2.0-only\npermissions: [" + permissions + "]\nobject: poke.c\n");
        return PackageBuilder.build(Optional.empty(), Optional.of(dir.resolve("bpfstore.yaml")), List.of());
    }

    private static Image xdpCounter() throws Exception {
        Path o = ExampleObjects.resolve("xdp_counter.o");
        return PackageBuilder.build(Optional.of(o), Optional.empty(), List.of(), Optional.of("acme"));
    }

    /** Another manifest (other annotations, so another digest) for which no signature exists. */
    private static Image xdpCounterUnsigned() throws Exception {
        Image image = xdpCounter();
        ObjectNode manifest = (ObjectNode) JSON.readTree(image.manifestBytes());
        ((ObjectNode) manifest.path("annotations")).put("org.opencontainers.image.description", "unsigned");
        return Image.of(JSON.writeValueAsBytes(manifest), image.blobs());
    }

    @Test
    void undeclaredProbeWriteUserIsRefusedByTheRegistry() throws Exception {
        Image declared = poke("observes-kernel-events, writes-process-memory");
        // the client refuses to build it undeclared; a hand-edited label is what reaches a registry
        Image tampered = ImageEdits.withPermissions(declared, List.of("observes-kernel-events"));
        RegistryException e = assertThrows(RegistryException.class,
                () -> client.push(tampered, "acme/poke", "1.0.0", PushOptions.DEFAULT));
        assertEquals("MANIFEST_INVALID", e.code());
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("writes-process-memory (writes process memory)"), e.getMessage());
        assertTrue(e.getMessage().contains("call 0x24 at poke.c:8; calls bpf_probe_write_user"), e.getMessage());
        assertTrue(client.tags("acme/poke").isEmpty(), "nothing tagged");
        // declared, it is accepted
        client.push(declared, "acme/poke", "1.0.0", PushOptions.DEFAULT);
    }

    @Test
    void aNamespaceRequiringSignaturesRefusesUnsignedAndForeignSignatures() throws Exception {
        SigningKey registered = SigningKey.generate();
        SigningKey stranger = SigningKey.generate();
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> withPublishers(p -> p.requireSignatures("acme", true)));
        assertTrue(noKey.getMessage().contains("has no signing key"), noKey.getMessage());
        withPublishers(p -> {
            assertEquals(registered.trusted().fingerprint(), p.addSigningKey("acme-corp", registered.trusted().pem()));
            p.requireSignatures("acme", true);
        });
        Image image = xdpCounter();
        String repo = "acme/xdp-counter";

        RegistryException unsigned = assertThrows(RegistryException.class,
                () -> client.push(image, repo, "0.1.0", PushOptions.DEFAULT));
        assertEquals("DENIED", unsigned.code());
        assertTrue(unsigned.getMessage().contains("is unsigned"), unsigned.getMessage());

        RegistryException foreign = assertThrows(RegistryException.class,
                () -> Signer.signDigest(client, repo, image.digest(), stranger));
        assertEquals("DENIED", foreign.code());
        assertTrue(foreign.getMessage().contains("signed by an untrusted key"), foreign.getMessage());

        // a signature by the registered key over another digest, stored under this digest's tag
        SignatureLayer wrong = SignatureLayer.sign(new SimpleSigningPayload(server.uri().getAuthority() + "/" + repo,
                Digest.of(new byte[] {1})), registered);
        RegistryException wrongDigest = assertThrows(RegistryException.class, () -> client.push(
                SignatureManifest.build(List.of(wrong)), repo, SignatureManifest.tag(image.digest()),
                PushOptions.DEFAULT));
        assertEquals("DENIED", wrongDigest.code());
        assertTrue(wrongDigest.getMessage().contains("names another manifest digest"), wrongDigest.getMessage());

        // sign first, then push: accepted, and the page shows the signer
        Signer.signDigest(client, repo, image.digest(), registered);
        client.push(image, repo, "0.1.0", PushOptions.DEFAULT);
        String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve(
                "/packages/acme/xdp-counter")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(page.contains("Signed by a key of publisher acme-corp"), page);
        assertTrue(page.contains(registered.trusted().fingerprint()), page);

        // lifting the requirement lets unsigned pushes in again
        withPublishers(p -> p.requireSignatures("acme", false));
        client.push(xdpCounterUnsigned(), repo, "latest", PushOptions.DEFAULT);
    }
}
