package io.bpfstore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attacks a publisher with valid credentials can make with what it pushes (issue 17): each is refused whole, and
 * nothing of it is stored, tagged or indexed.
 */
class HostilePublisherTest {
    static final String REPO = "acme/app";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @RegisterExtension
    final TestRegistry.Session session = new TestRegistry.Session("acme-corp", REPO);

    static PackageImage app(String version) {
        return PackageImage.of(new PackageImage.Spec("acme", "app", version, "an app", "MIT", Map.of("f", "xdp"),
                List.of("xdp"), List.of()));
    }

    private HttpResponse<byte[]> putManifest(String tag, byte[] manifest) throws Exception {
        return session.registry().send("PUT", "/v2/" + REPO + "/manifests/" + tag, session.push(), OCI_MANIFEST, manifest);
    }

    private void assertNothingPublished() throws Exception {
        assertEquals(404, session.registry().send("GET", "/v2/" + REPO + "/manifests/1.0.0", session.push(), null, null).statusCode());
        assertEquals(404, session.registry().send("GET", "/api/v1/packages/acme/app", null, null, null).statusCode());
    }

    @Test
    void aManifestWithMoreLayersThanTheParserTakesIsRefusedNotHalfChecked() throws Exception {
        PackageImage image = app("1.0.0");
        session.registry().pushBlob(REPO, image.config(), session.push());
        session.registry().pushBlob(REPO, image.layer(), session.push());
        ObjectNode manifest = (ObjectNode) PackageImage.JSON.readTree(image.manifest());
        ArrayNode layers = (ArrayNode) manifest.get("layers");
        while (layers.size() <= 128) {
            layers.add(layers.get(0).deepCopy());
        }
        HttpResponse<byte[]> r = putManifest("1.0.0", PackageImage.JSON.writeValueAsBytes(manifest));
        assertEquals(400, r.statusCode());
        assertEquals("MANIFEST_INVALID", TestRegistry.errorCode(r));
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("more than the 128 allowed"));
        assertNothingPublished();
    }

    @Test
    void manifestsAreUtf8JsonWithNothingAfterTheDocument() throws Exception {
        PackageImage image = app("1.0.0");
        session.registry().pushBlob(REPO, image.config(), session.push());
        session.registry().pushBlob(REPO, image.layer(), session.push());
        String text = new String(image.manifest(), StandardCharsets.UTF_8);
        byte[] overlong = text.replace("\"schemaVersion\"", "\"schemaVersion\u0000\"").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 1 < overlong.length; i++) {
            if (overlong[i] == 0) { // NUL as the overlong two-byte form C0 80
                byte[] longer = new byte[overlong.length + 1];
                System.arraycopy(overlong, 0, longer, 0, i);
                longer[i] = (byte) 0xC0;
                longer[i + 1] = (byte) 0x80;
                System.arraycopy(overlong, i + 1, longer, i + 2, overlong.length - i - 1);
                overlong = longer;
                break;
            }
        }
        for (byte[] body : List.of(text.getBytes(StandardCharsets.UTF_16), text.getBytes(StandardCharsets.UTF_16LE),
                (text + " {}").getBytes(StandardCharsets.UTF_8), (text + "x").getBytes(StandardCharsets.UTF_8),
                overlong)) {
            HttpResponse<byte[]> r = putManifest("1.0.0", body);
            assertEquals(400, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
            assertEquals("MANIFEST_INVALID", TestRegistry.errorCode(r));
        }
        assertNothingPublished();
        assertEquals(201, putManifest("1.0.0", image.manifest()).statusCode());
    }

    @Test
    void aConfigTheChecksCannotReadRefusesThePush() throws Exception {
        // The package label written twice: a lenient reader takes the last, the checks might take the first.
        PackageImage image = app("1.0.0");
        String config = new String(image.config(), StandardCharsets.UTF_8);
        byte[] twice = config.replace("\"Labels\":{", "\"Labels\":{\"io.bpfstore.package\":\"{}\",")
                .getBytes(StandardCharsets.UTF_8);
        ObjectNode manifest = (ObjectNode) PackageImage.JSON.readTree(image.manifest());
        manifest.set("config", PackageImage.descriptor("application/vnd.oci.image.config.v1+json", twice));
        session.registry().pushBlob(REPO, twice, session.push());
        session.registry().pushBlob(REPO, image.layer(), session.push());
        HttpResponse<byte[]> r = putManifest("1.0.0", PackageImage.JSON.writeValueAsBytes(manifest));
        assertEquals(400, r.statusCode());
        assertEquals("MANIFEST_INVALID", TestRegistry.errorCode(r));
        assertNothingPublished();
    }

    @Test
    void controlCharactersInThePackageLabelAreRefusedAtPush() throws Exception {
        PackageImage image = PackageImage.of(new PackageImage.Spec("acme", "app", "1.0.0",
                "looks fine \u001b[2J\u001b[Hthen clears the screen", "MIT", Map.of("f", "xdp"), List.of("xdp"),
                List.of()));
        HttpResponse<byte[]> r = session.registry().push(REPO, "1.0.0", image, session.push());
        assertEquals(400, r.statusCode());
        assertEquals("MANIFEST_INVALID", TestRegistry.errorCode(r));
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("field description: control character U+001B"));
        assertNothingPublished();
    }
}
