package io.bpfstore.store.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.signing.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Payload parsing is strict about what it relies on, and a signed-but-malformed payload is refused. */
class PayloadTest {
    private static final Digest D = Digest.of(new byte[] {7});

    @Test
    void roundTripsAndAcceptsOtherKeyOrderAndOptionalFields() {
        SimpleSigningPayload p = new SimpleSigningPayload("registry.example:5000/ns/name", D);
        assertEquals(p, SimpleSigningPayload.parse(p.bytes()));
        assertEquals("ns/name", p.repositoryPath());
        String reordered = "{\"optional\":{\"creator\":\"x\"},\"critical\":{\"type\":\"cosign container image "
                + "signature\",\"image\":{\"docker-manifest-digest\":\"" + D + "\"},\"identity\":"
                + "{\"docker-reference\":\"ns/name\"}}}";
        SimpleSigningPayload q = SimpleSigningPayload.parse(reordered.getBytes(StandardCharsets.UTF_8));
        assertEquals(D, q.manifestDigest());
        assertEquals("ns/name", q.repositoryPath());
        assertEquals("ns/name", new SimpleSigningPayload("localhost/ns/name", D).repositoryPath());
    }

    @Test
    void malformedPayloadsNameTheProblem() {
        for (String[] c : new String[][] {
                {"[]", "not a JSON object"},
                {"{", "not valid JSON"},
                {"{\"critical\":{\"type\":\"other\"}}", "critical.type"},
                {"{\"critical\":{\"type\":\"cosign container image signature\"}}", "must be strings"},
                {"{\"critical\":{\"type\":\"cosign container image signature\",\"identity\":{\"docker-reference\":"
                        + "\"a/b\"},\"image\":{\"docker-manifest-digest\":\"md5:00\"}}}", "not a sha256 digest"}}) {
            InvalidImageException e = assertThrows(InvalidImageException.class,
                    () -> SimpleSigningPayload.parse(c[0].getBytes(StandardCharsets.UTF_8)), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage() + " should mention " + c[1]);
        }
        assertThrows(InvalidImageException.class, () -> SimpleSigningPayload.parse(new byte[100_000]));
    }

    @Test
    void signedButMalformedPayloadIsMalformedAndEmptyManifestToo() {
        SigningKey key = SigningKey.generate();
        byte[] junk = "{\"critical\":{}}".getBytes(StandardCharsets.UTF_8);
        SignatureLayer layer = new SignatureLayer(junk, Base64.getEncoder().encodeToString(key.sign(junk)),
                Optional.empty());
        VerificationException e = assertThrows(VerificationException.class, () -> Verifier.verify("x", "ns/name", D,
                List.of(layer), List.of(key.trusted())));
        assertEquals(Reason.MALFORMED, e.reason());
        assertEquals(Reason.MALFORMED, assertThrows(VerificationException.class, () -> Verifier.verify("x",
                "ns/name", D, List.of(), List.of(key.trusted()))).reason());
    }
}
