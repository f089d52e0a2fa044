package io.bpfstore.store.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.DigestMismatchException;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.MediaTypes;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.signing.VerificationException.Reason;
import io.bpfstore.testsupport.DockerRegistryExtension;
import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.ToolResult;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing and verification through a real registry (docker-registry 2.8), the signature manifest as skopeo sees
 * it, its signature checked by openssl, and every tampering refused with the reason that applies.
 */
class RegistrySigningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final DockerRegistryExtension REGISTRY = new DockerRegistryExtension();
    private static RegistryClient client;
    private static final SigningKey KEY = SigningKey.generate();
    private static final SigningKey OTHER = SigningKey.generate();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        client = new RegistryClient(URI.create(REGISTRY.url()), Optional.empty());
    }

    /** A small image whose layer is {@code content}: a stand-in for a package (signing does not look inside). */
    private static Image image(String content) {
        byte[] layer = content.getBytes(StandardCharsets.UTF_8);
        byte[] config = ("{\"architecture\":\"bpf\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.of(layer) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.MANIFEST
                + "\",\"config\":{\"mediaType\":\"" + MediaTypes.CONFIG + "\",\"digest\":\"" + Digest.of(config) + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"" + MediaTypes.LAYER_TAR_GZIP + "\",\"digest\":\"" + Digest.of(layer)
                + "\",\"size\":" + layer.length + "}]}";
        return Image.of(manifest.getBytes(StandardCharsets.UTF_8), Map.of(Digest.of(layer), layer, Digest.of(config),
                config));
    }

    private static Digest push(String repository, String tag, Image image) {
        return client.push(image, repository, tag, PushOptions.DEFAULT).digest();
    }

    private static Reason refusal(String repository, Digest digest, TrustedKey key) {
        return assertThrows(VerificationException.class, () -> Verifier.verify(client, repository, digest,
                List.of(key))).reason();
    }

    /** The signature manifest of {@code digest} with its layers replaced by {@code layers}, pushed back. */
    private static void replaceSignature(String repository, Digest digest, List<SignatureLayer> layers) {
        push(repository, SignatureManifest.tag(digest), SignatureManifest.build(layers));
    }

    private static SignatureLayer onlyLayer(String repository, Digest digest) {
        Image sig = SignatureStore.fetch(client, repository, digest).orElseThrow();
        List<SignatureLayer> layers = SignatureManifest.read(sig);
        assertEquals(1, layers.size());
        return layers.getFirst();
    }

    @Test
    void signedPackagePullsVerifiedAndSkopeoAndOpensslSeeCosignFormat() throws IOException {
        String repo = "signed/ok";
        Digest digest = push(repo, "1.0.0", image("ok"));
        Signer.Signed signed = Signer.sign(client, repo, "1.0.0", KEY);
        assertEquals(digest, signed.subject());
        assertEquals("sha256-" + digest.hex() + ".sig", signed.tag());

        Verifier.Verified v = Verifier.verify(client, repo, digest, List.of(OTHER.trusted(), KEY.trusted()));
        assertEquals(KEY.trusted().fingerprint(), v.key().fingerprint());
        assertEquals(REGISTRY.hostPort() + "/" + repo, v.payload().dockerReference());

        Path out = dir.resolve("pulled");
        VerifiedPull.Pulled pulled = VerifiedPull.pull(client, repo, "1.0.0", "1.0.0", out,
                new SignaturePolicy.Require(List.of(KEY.trusted())));
        assertEquals(digest, pulled.manifest().digest());
        assertEquals(digest, OciLayout.read(out, Optional.of("1.0.0")).digest());

        String ref = "docker://" + REGISTRY.hostPort() + "/" + repo + ":" + signed.tag();
        JsonNode raw = JSON.readTree(ExternalTool.output("skopeo", "inspect", "--raw", "--tls-verify=false", ref));
        assertEquals(MediaTypes.MANIFEST, raw.path("mediaType").asText());
        assertEquals(MediaTypes.CONFIG, raw.path("config").path("mediaType").asText());
        JsonNode layer = raw.path("layers").path(0);
        assertEquals("application/vnd.dev.cosign.simplesigning.v1+json", layer.path("mediaType").asText());
        String annotation = layer.path("annotations").path("dev.cosignproject.cosign/signature").asText();
        assertFalse(annotation.isEmpty());
        JsonNode inspect = JSON.readTree(ExternalTool.output("skopeo", "inspect", "--tls-verify=false", ref));
        assertEquals(signed.signature().toString(), inspect.path("Digest").asText());

        Path copy = dir.resolve("sigdir");
        ExternalTool.output("skopeo", "copy", "--quiet", "--src-tls-verify=false", ref, "dir:" + copy);
        Path payload = copy.resolve(Digest.parse(layer.path("digest").asText()).hex());
        JsonNode payloadJson = JSON.readTree(Files.readAllBytes(payload));
        assertEquals(digest.toString(), payloadJson.path("critical").path("image").path("docker-manifest-digest")
                .asText());
        assertEquals("cosign container image signature", payloadJson.path("critical").path("type").asText());
        assertTrue(payloadJson.has("optional") && payloadJson.get("optional").isNull());
        JsonNode config = JSON.readTree(Files.readAllBytes(copy.resolve(Digest.parse(raw.path("config")
                .path("digest").asText()).hex())));
        assertEquals(layer.path("digest").asText(), config.path("rootfs").path("diff_ids").path(0).asText());
        Path sig = dir.resolve("sig.der");
        Files.write(sig, Base64.getDecoder().decode(annotation));
        Path pub = dir.resolve("pub.pem");
        Files.writeString(pub, KEY.trusted().pem());
        ToolResult ok = ExternalTool.run("openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature",
                sig.toString(), payload.toString());
        assertEquals(0, ok.exit(), "openssl verifies the stored signature over the stored payload: " + ok.err());
    }

    @Test
    void unsignedIsRefusedUnlessAllowed() throws IOException {
        String repo = "signed/none";
        Digest digest = push(repo, "1.0.0", image("unsigned"));
        assertEquals(Reason.UNSIGNED, refusal(repo, digest, KEY.trusted()));
        Path out = dir.resolve("refused");
        VerificationException e = assertThrows(VerificationException.class, () -> VerifiedPull.pull(client, repo,
                "1.0.0", "1.0.0", out, new SignaturePolicy.Require(List.of(KEY.trusted()))));
        assertTrue(e.getMessage().contains("unsigned"), e.getMessage());
        assertFalse(Files.exists(out), "nothing written on refusal");
        VerifiedPull.Pulled p = VerifiedPull.pull(client, repo, "1.0.0", "1.0.0", out,
                new SignaturePolicy.AllowUnsigned());
        assertEquals(digest, p.manifest().digest());
        assertTrue(p.verified().isEmpty());
    }

    @Test
    void wrongKeyIsUntrustedAndWithoutHintDoesNotVerify() {
        String repo = "signed/wrongkey";
        Digest digest = push(repo, "1.0.0", image("wrong key"));
        Signer.sign(client, repo, "1.0.0", OTHER);
        VerificationException e = assertThrows(VerificationException.class, () -> Verifier.verify(client, repo,
                digest, List.of(KEY.trusted())));
        assertEquals(Reason.UNTRUSTED_KEY, e.reason());
        assertTrue(e.getMessage().contains(OTHER.trusted().fingerprint()), e.getMessage());
        SignatureLayer l = onlyLayer(repo, digest);
        replaceSignature(repo, digest, List.of(new SignatureLayer(l.payload(), l.signature(), Optional.empty())));
        assertEquals(Reason.BAD_SIGNATURE, refusal(repo, digest, KEY.trusted()));
        assertEquals(digest, Verifier.verify(client, repo, digest, List.of(OTHER.trusted())).subject(),
                "the hint is not needed to verify");
    }

    @Test
    void tamperedPayloadOrSignatureDoesNotVerify() {
        String repo = "signed/tamper-sig";
        Digest digest = push(repo, "1.0.0", image("tamper sig"));
        Signer.sign(client, repo, "1.0.0", KEY);
        SignatureLayer good = onlyLayer(repo, digest);

        byte[] payload = good.payload();
        payload[payload.length - 2] = ' '; // "null}" -> "nul }": still the same claim to a careless reader
        replaceSignature(repo, digest, List.of(new SignatureLayer(payload, good.signature(), good.signer())));
        assertEquals(Reason.BAD_SIGNATURE, refusal(repo, digest, KEY.trusted()));

        byte[] der = good.signatureDer().orElseThrow();
        der[der.length - 1] ^= 1;
        replaceSignature(repo, digest, List.of(new SignatureLayer(good.payload(),
                Base64.getEncoder().encodeToString(der), good.signer())));
        assertEquals(Reason.BAD_SIGNATURE, refusal(repo, digest, KEY.trusted()));

        replaceSignature(repo, digest, List.of(new SignatureLayer(good.payload(), "not base64!", good.signer())));
        assertEquals(Reason.BAD_SIGNATURE, refusal(repo, digest, KEY.trusted()));
        replaceSignature(repo, digest, List.of(new SignatureLayer(good.payload(), "", good.signer())));
        assertEquals(Reason.BAD_SIGNATURE, refusal(repo, digest, KEY.trusted()));

        replaceSignature(repo, digest, List.of(good));
        assertEquals(digest, Verifier.verify(client, repo, digest, List.of(KEY.trusted())).subject());
    }

    @Test
    void signatureManifestWithoutCosignLayerIsMalformed() {
        String repo = "signed/tamper-manifest";
        Digest digest = push(repo, "1.0.0", image("tamper manifest"));
        Signer.sign(client, repo, "1.0.0", KEY);
        Image sig = SignatureStore.fetch(client, repo, digest).orElseThrow();
        String manifest = new String(sig.manifestBytes(), StandardCharsets.UTF_8)
                .replace(SignatureManifest.LAYER_MEDIA_TYPE, "application/octet-stream");
        Image changed = Image.of(manifest.getBytes(StandardCharsets.UTF_8), sig.blobs());
        push(repo, SignatureManifest.tag(digest), changed);
        assertEquals(Reason.MALFORMED, refusal(repo, digest, KEY.trusted()));
    }

    @Test
    void changedImageIsUnsignedAndACopiedSignatureNamesAnotherDigest() {
        String repo = "signed/tamper-image";
        Digest original = push(repo, "1.0.0", image("original layer"));
        Signer.sign(client, repo, "1.0.0", KEY);
        // a new layer (and so new config diff_ids and manifest) pushed over the tag
        Digest changed = push(repo, "1.0.0", image("evil layer"));
        assertEquals(Reason.UNSIGNED, refusal(repo, changed, KEY.trusted()));
        // the attacker copies the valid signature manifest to the new digest's tag
        Image sig = SignatureStore.fetch(client, repo, original).orElseThrow();
        push(repo, SignatureManifest.tag(changed), sig);
        VerificationException e = assertThrows(VerificationException.class, () -> Verifier.verify(client, repo,
                changed, List.of(KEY.trusted())));
        assertEquals(Reason.WRONG_DIGEST, e.reason());
        assertTrue(e.getMessage().contains(original.toString()), e.getMessage());
        // only the config changed: same outcome, the manifest digest moved
        Image base = image("config only");
        Map<Digest, byte[]> blobs = new HashMap<>(base.blobs());
        byte[] config = base.config();
        byte[] newConfig = new String(config, StandardCharsets.UTF_8).replace("\"bpf\"", "\"evil\"")
                .getBytes(StandardCharsets.UTF_8);
        blobs.put(Digest.of(newConfig), newConfig);
        String manifest = new String(base.manifestBytes(), StandardCharsets.UTF_8)
                .replace(Digest.of(config).toString(), Digest.of(newConfig).toString())
                .replace("\"size\":" + config.length, "\"size\":" + newConfig.length);
        Digest configChanged = push(repo, "2.0.0", Image.of(manifest.getBytes(StandardCharsets.UTF_8), blobs));
        push(repo, SignatureManifest.tag(configChanged), sig);
        assertEquals(Reason.WRONG_DIGEST, refusal(repo, configChanged, KEY.trusted()));
    }

    @Test
    void signatureCopiedToAnotherRepositoryNamesTheOther() {
        Image image = image("two repositories");
        Digest digest = push("signed/first", "1.0.0", image);
        push("signed/second", "1.0.0", image);
        Signer.sign(client, "signed/first", "1.0.0", KEY);
        Image sig = SignatureStore.fetch(client, "signed/first", digest).orElseThrow();
        push("signed/second", SignatureManifest.tag(digest), sig);
        VerificationException e = assertThrows(VerificationException.class, () -> Verifier.verify(client,
                "signed/second", digest, List.of(KEY.trusted())));
        assertEquals(Reason.WRONG_REPOSITORY, e.reason());
        assertTrue(e.getMessage().contains("signed/first"), e.getMessage());
    }

    @Test
    void tamperedBlobInStorageFailsThePullAfterTheSignatureVerifies() throws IOException {
        String repo = "signed/tamper-blob";
        Image image = image("stored layer");
        push(repo, "1.0.0", image);
        Signer.sign(client, repo, "1.0.0", KEY);
        Path data = REGISTRY.blobFile(image.manifest().layers().getFirst().digest().hex());
        byte[] bytes = Files.readAllBytes(data);
        bytes[0] ^= 1;
        Files.write(data, bytes);
        Path out = dir.resolve("broken");
        assertThrows(DigestMismatchException.class, () -> VerifiedPull.pull(client, repo, "1.0.0", "1.0.0", out,
                new SignaturePolicy.Require(List.of(KEY.trusted()))));
        assertFalse(Files.exists(out));
    }

    @Test
    void secondSignerKeepsTheFirstAndResigningReplacesOwnSignature() {
        String repo = "signed/two";
        Digest digest = push(repo, "1.0.0", image("two signers"));
        Signer.sign(client, repo, "1.0.0", KEY);
        Signer.sign(client, repo, "1.0.0", OTHER);
        Signer.sign(client, repo, "1.0.0", OTHER);
        Image sig = SignatureStore.fetch(client, repo, digest).orElseThrow();
        assertEquals(2, SignatureManifest.read(sig).size());
        assertEquals(digest, Verifier.verify(client, repo, digest, List.of(KEY.trusted())).subject());
        assertEquals(digest, Verifier.verify(client, repo, digest, List.of(OTHER.trusted())).subject());
    }
}
