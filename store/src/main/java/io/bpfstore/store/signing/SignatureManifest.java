package io.bpfstore.store.signing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image cosign stores signatures in: an OCI manifest tagged {@code sha256-<hex>.sig} in the signed image's
 * repository, one layer per signature (media type {@link #LAYER_MEDIA_TYPE}, content the payload, annotation
 * {@link #SIGNATURE_ANNOTATION} the base64 DER signature), and a config naming the layers as cosign's writes it.
 */
public final class SignatureManifest {
    /** Media type of a signature layer (its content is a simple signing payload). */
    public static final String LAYER_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    /** Layer annotation holding the base64 ASN.1 DER ECDSA signature over the payload bytes. */
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    /** bpfstore's unsigned hint naming the signer's key fingerprint (cosign ignores unknown annotations). */
    public static final String SIGNER_ANNOTATION = "io.bpfstore.signing/key-fingerprint";
    /** Most signature layers read from one manifest. */
    public static final int MAX_SIGNATURES = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private SignatureManifest() {
    }

    /** The tag holding the signatures of the manifest {@code digest}: {@code sha256-<hex>.sig}. */
    public static String tag(Digest digest) {
        return "sha256-" + digest.hex() + ".sig";
    }

    /** The signature image holding {@code layers}, in order. */
    public static Image build(List<SignatureLayer> layers) {
        if (layers.isEmpty() || layers.size() > MAX_SIGNATURES) {
            throw new IllegalArgumentException("a signature manifest holds 1 to " + MAX_SIGNATURES + " signatures");
        }
        Map<Digest, byte[]> blobs = new HashMap<>();
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "");
        config.put("created", ZERO_TIME);
        ArrayNode history = config.putArray("history");
        config.put("os", "");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        config.putObject("config");
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.MANIFEST);
        ObjectNode configDescriptor = manifest.putObject("config");
        ArrayNode layerNodes = manifest.putArray("layers");
        for (SignatureLayer layer : layers) {
            byte[] payload = layer.payload();
            Digest d = Digest.of(payload);
            blobs.put(d, payload);
            history.addObject().put("created", ZERO_TIME);
            diffIds.add(d.toString());
            ObjectNode node = layerNodes.addObject();
            node.put("mediaType", LAYER_MEDIA_TYPE);
            node.put("size", payload.length);
            node.put("digest", d.toString());
            ObjectNode annotations = node.putObject("annotations");
            annotations.put(SIGNATURE_ANNOTATION, layer.signature());
            layer.signer().ifPresent(s -> annotations.put(SIGNER_ANNOTATION, s));
        }
        byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.of(configBytes);
        blobs.put(configDigest, configBytes);
        configDescriptor.put("mediaType", MediaTypes.CONFIG);
        configDescriptor.put("size", configBytes.length);
        configDescriptor.put("digest", configDigest.toString());
        return Image.of(manifest.toString().getBytes(StandardCharsets.UTF_8), blobs);
    }

    /**
     * The signatures in a signature image: every layer of {@link #LAYER_MEDIA_TYPE}; layers of other types are
     * not signatures and are ignored, as cosign does. A cosign layer without the signature annotation is kept
     * with an empty signature (it will not verify) so the refusal can say what was found.
     */
    public static List<SignatureLayer> read(Image image) {
        List<SignatureLayer> out = new ArrayList<>();
        for (Descriptor d : image.manifest().layers()) {
            if (!d.mediaType().equals(LAYER_MEDIA_TYPE)) {
                continue;
            }
            if (out.size() == MAX_SIGNATURES) {
                break;
            }
            out.add(new SignatureLayer(image.blobs().get(d.digest()), d.annotations().getOrDefault(
                    SIGNATURE_ANNOTATION, ""), Optional.ofNullable(d.annotations().get(SIGNER_ANNOTATION))));
        }
        return out;
    }
}
