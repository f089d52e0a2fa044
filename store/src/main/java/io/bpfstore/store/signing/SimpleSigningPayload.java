package io.bpfstore.store.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.image.ImageManifest;
import java.nio.charset.StandardCharsets;

/**
 * Cosign's "simple signing" payload: the statement a signature covers, naming the image by repository
 * ({@code critical.identity.docker-reference}) and manifest digest ({@code critical.image.docker-manifest-digest}).
 *
 * @param dockerReference the repository as cosign writes it: {@code host[:port]/namespace/name}
 * @param manifestDigest  the signed image manifest's digest
 */
public record SimpleSigningPayload(String dockerReference, Digest manifestDigest) {
    /** The {@code critical.type} every cosign image signature has. */
    public static final String TYPE = "cosign container image signature";
    /** Largest payload accepted (cosign's are a few hundred bytes; annotations may add some). */
    public static final int MAX_SIZE = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The payload bytes, laid out as cosign writes them (key order and {@code "optional":null} included). */
    public byte[] bytes() {
        try {
            return ("{\"critical\":{\"identity\":{\"docker-reference\":" + JSON.writeValueAsString(dockerReference)
                    + "},\"image\":{\"docker-manifest-digest\":\"" + manifestDigest + "\"},\"type\":\"" + TYPE
                    + "\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serialises", e);
        }
    }

    /**
     * Parses payload bytes (from any cosign-compatible signer, so key order and extra {@code optional} fields
     * are free). Throws {@link InvalidImageException} naming what is missing.
     */
    public static SimpleSigningPayload parse(byte[] bytes) {
        String where = "simple signing payload";
        if (bytes.length > MAX_SIZE) {
            throw new InvalidImageException(where, "larger than " + MAX_SIZE + " bytes");
        }
        JsonNode critical = ImageManifest.json(bytes, where).path("critical");
        String type = critical.path("type").asText("");
        if (!type.equals(TYPE)) {
            throw new InvalidImageException(where, "critical.type is \"" + type + "\", not \"" + TYPE + "\"");
        }
        JsonNode reference = critical.path("identity").path("docker-reference");
        JsonNode digest = critical.path("image").path("docker-manifest-digest");
        if (!reference.isTextual() || !digest.isTextual()) {
            throw new InvalidImageException(where, "critical.identity.docker-reference and "
                    + "critical.image.docker-manifest-digest must be strings");
        }
        if (!Digest.isDigest(digest.asText())) {
            throw new InvalidImageException(where, "docker-manifest-digest \"" + digest.asText()
                    + "\" is not a sha256 digest");
        }
        return new SimpleSigningPayload(reference.asText(), Digest.parse(digest.asText()));
    }

    /**
     * The repository path of the docker reference (what follows the registry host), e.g. {@code ns/name} for
     * {@code 127.0.0.1:5000/ns/name}. The host is not compared on verification: one registry is reached under
     * several names (localhost, 127.0.0.1, a mirror), and the digest claim is what binds the signature.
     */
    public String repositoryPath() {
        int slash = dockerReference.indexOf('/');
        String first = slash < 0 ? "" : dockerReference.substring(0, slash);
        boolean hasHost = first.contains(".") || first.contains(":") || first.equals("localhost");
        return hasHost ? dockerReference.substring(slash + 1) : dockerReference;
    }
}
