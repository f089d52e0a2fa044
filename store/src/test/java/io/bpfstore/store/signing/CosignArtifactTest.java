package io.bpfstore.store.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.signing.VerificationException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signature artifact made by cosign itself (v3.0.4, {@code cosign sign --key ... --tlog-upload=false} against a
 * local registry for {@code localhost:15381/tobby/fixture}), as published in the test data of
 * github.com/tobby-fetch/tobby-fetch (internal/sigverify). cosign cannot be installed here, so its recorded output
 * is the oracle: our payload and signature manifest must be byte-identical to cosign's, and cosign's signature
 * must verify with our code (and with openssl).
 */
class CosignArtifactTest {
    private static final Digest SUBJECT =
            Digest.parse("sha256:f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268");
    private static final String PUBLIC_KEY = """
            -----BEGIN PUBLIC KEY-----
            MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEA9oFvTJJuu0cszKBsiuqfFYN3NLV
            meleaASYW5l+nqDxoUg4f8177owlgVD89pZQ9jUxP8dbibmDJpvcjBo9RQ==
            -----END PUBLIC KEY-----
            """;
    private static final String SIGNATURE =
            "MEUCIEB+pz4s+9yxG+Om/bukeAfwloKFEISUhxLvIYlP02P8AiEAz1oNkilC+cprxcrEHqN0vxM+zvP34ikHFzi8e7Sevls=";
    private static final String PAYLOAD = "{\"critical\":{\"identity\":{\"docker-reference\":"
            + "\"localhost:15381/tobby/fixture\"},\"image\":{\"docker-manifest-digest\":\"" + SUBJECT + "\"},"
            + "\"type\":\"cosign container image signature\"},\"optional\":null}";
    private static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest"
            + ".v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":233,"
            + "\"digest\":\"sha256:2122b6ad0794d3fdae43a4b477cf1d95d4a38d3c5f10631e199676039b876e37\"},\"layers\":"
            + "[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":245,\"digest\":"
            + "\"sha256:3a29d26a2fc848d25ccf9c2288194ca90599e70ef69087644f186e5e7331f28b\",\"annotations\":"
            + "{\"dev.cosignproject.cosign/signature\":\"" + SIGNATURE + "\"}}]}";

    @TempDir
    Path dir;

    private static byte[] payload() {
        return PAYLOAD.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void ourPayloadAndSignatureManifestAreByteIdenticalToCosigns() {
        assertEquals(Digest.parse("sha256:3a29d26a2fc848d25ccf9c2288194ca90599e70ef69087644f186e5e7331f28b"),
                Digest.of(payload()), "recorded payload intact");
        assertEquals(PAYLOAD, new String(new SimpleSigningPayload("localhost:15381/tobby/fixture", SUBJECT).bytes(),
                StandardCharsets.UTF_8));
        Image ours = SignatureManifest.build(List.of(new SignatureLayer(payload(), SIGNATURE, Optional.empty())));
        assertEquals(MANIFEST, new String(ours.manifestBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void cosignsSignatureVerifiesWithOurCode() {
        TrustedKey key = TrustedKey.parse(PUBLIC_KEY, "cosign.pub");
        assertTrue(key.verifies(payload(), Base64.getDecoder().decode(SIGNATURE)));
        Image image = Image.of(MANIFEST.getBytes(StandardCharsets.UTF_8), java.util.Map.of(Digest.of(payload()),
                payload(), Digest.parse("sha256:2122b6ad0794d3fdae43a4b477cf1d95d4a38d3c5f10631e199676039b876e37"),
                ("{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":"
                        + "\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                        + Digest.of(payload()) + "\"]},\"config\":{}}").getBytes(StandardCharsets.UTF_8)));
        List<SignatureLayer> layers = SignatureManifest.read(image);
        Verifier.Verified v = Verifier.verify("fixture", "tobby/fixture", SUBJECT, layers, List.of(key));
        assertEquals("localhost:15381/tobby/fixture", v.payload().dockerReference());
        assertEquals(Reason.WRONG_REPOSITORY, assertThrows(VerificationException.class, () -> Verifier.verify(
                "fixture", "tobby/other", SUBJECT, layers, List.of(key))).reason());
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(VerificationException.class, () -> Verifier.verify(
                "fixture", "tobby/fixture", SUBJECT, layers, List.of(SigningKey.generate().trusted()))).reason());
        byte[] changed = payload();
        changed[changed.length - 3] = 'L';
        assertFalse(key.verifies(changed, Base64.getDecoder().decode(SIGNATURE)));
    }

    @Test
    void opensslAgreesWithCosignsSignature() throws IOException {
        Path pub = Files.writeString(dir.resolve("cosign.pub"), PUBLIC_KEY);
        Path payload = Files.write(dir.resolve("payload"), payload());
        Path sig = Files.write(dir.resolve("sig"), Base64.getDecoder().decode(SIGNATURE));
        Oracle.Output ok = Oracle.run("openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature",
                sig.toString(), payload.toString());
        assertEquals(0, ok.exit(), ok.err());
    }
}
