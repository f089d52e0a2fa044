package io.bpfstore.store.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One OCI image held in memory: the manifest exactly as hashed, and every blob it references (config and
 * layers), each already checked against its descriptor. Packages are small (one eBPF object), so holding
 * them in memory is fine and keeps verification simple.
 *
 * @param manifestBytes the manifest's bytes
 * @param manifest      the parsed manifest
 * @param blobs         digest → content, for the config and every layer
 */
public record Image(byte[] manifestBytes, ImageManifest manifest, Map<Digest, byte[]> blobs) {
    /** Checks that every referenced blob is present and matches its descriptor. */
    public Image {
        blobs = Map.copyOf(blobs);
        for (Descriptor d : referenced(manifest)) {
            byte[] content = blobs.get(d.digest());
            if (content == null) {
                throw new InvalidImageException("image " + Digest.of(manifestBytes), "blob " + d.digest() + " missing");
            }
            d.digest().verify("blob", content, d.size());
        }
    }

    /** Builds an image from manifest bytes and blobs, parsing the manifest. */
    public static Image of(byte[] manifestBytes, Map<Digest, byte[]> blobs) {
        return new Image(manifestBytes, ImageManifest.parse(manifestBytes, "manifest " + Digest.of(manifestBytes)),
                blobs);
    }

    /** The descriptors of the config and layers, config first. */
    public static List<Descriptor> referenced(ImageManifest manifest) {
        List<Descriptor> all = new ArrayList<>();
        all.add(manifest.config());
        all.addAll(manifest.layers());
        return all;
    }

    /** The manifest's digest. */
    public Digest digest() {
        return Digest.of(manifestBytes);
    }

    /** The manifest's descriptor. */
    public Descriptor descriptor() {
        return new Descriptor(manifest.mediaType(), digest(), manifestBytes.length, Map.of());
    }

    /** The config blob. */
    public byte[] config() {
        return blobs.get(manifest.config().digest());
    }

    /** The blobs in manifest order (config, then layers), as an ordered map. */
    public Map<Descriptor, byte[]> orderedBlobs() {
        Map<Descriptor, byte[]> out = new LinkedHashMap<>();
        for (Descriptor d : referenced(manifest)) {
            out.put(d, blobs.get(d.digest()));
        }
        return out;
    }

    /** The value of a config label, if the config has it. */
    public java.util.Optional<String> label(String name) {
        com.fasterxml.jackson.databind.JsonNode labels = ImageManifest.json(config(), "config " + manifest.config()
                .digest()).path("config").path("Labels");
        com.fasterxml.jackson.databind.JsonNode value = labels.path(name);
        return value.isTextual() ? java.util.Optional.of(value.asText()) : java.util.Optional.empty();
    }
}
