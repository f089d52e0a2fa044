package io.bpfstore.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.store.build.PackageMetadata;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.MediaTypes;
import java.util.List;
import java.util.Map;

/** Edits of a built image that tests of the store and of the registry make (shared through the store's test jar). */
public final class ImageEdits {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageEdits() {
    }

    /** {@code image} with the label's permissions replaced (new config, new manifest). */
    public static Image withPermissions(Image image, List<String> permissions) throws Exception {
        return withLabel(image, pkg -> pkg.putArray("permissions")
                .addAll(permissions.stream().map(JSON.getNodeFactory()::textNode).toList()));
    }

    /** {@code image} with the label's name and version replaced, as a package of that name and version. */
    public static Image withIdentity(Image image, String name, String version) throws Exception {
        return withLabel(image, pkg -> pkg.put("name", name).put("version", version));
    }

    private static Image withLabel(Image image, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(image.config());
        ObjectNode labels = (ObjectNode) config.path("config").path("Labels");
        ObjectNode pkg = (ObjectNode) JSON.readTree(labels.path(PackageMetadata.PACKAGE_LABEL).asText());
        edit.accept(pkg);
        labels.put(PackageMetadata.PACKAGE_LABEL, JSON.writeValueAsString(pkg));
        byte[] configBytes = JSON.writeValueAsBytes(config);
        ObjectNode manifest = (ObjectNode) JSON.readTree(image.manifestBytes());
        Descriptor d = Descriptor.of(MediaTypes.CONFIG, configBytes);
        ((ObjectNode) manifest.path("config")).put("digest", d.digest().toString()).put("size", d.size());
        Digest layer = image.manifest().layers().getFirst().digest();
        return Image.of(JSON.writeValueAsBytes(manifest), Map.of(d.digest(), configBytes, layer,
                image.blobs().get(layer)));
    }
}
