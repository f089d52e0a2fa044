package io.bpfstore.registry.trust;

import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.ImageManifest;
import io.bpfstore.store.image.InvalidImageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Reads an image manifest and its blobs out of the blob store as the store's {@link Image}, with size limits. */
final class StoredImages {
    private final BlobStore blobs;

    StoredImages(BlobStore blobs) {
        this.blobs = blobs;
    }

    /**
     * The image of {@code manifest} (bytes), every blob read (at most {@code maxBlob} bytes each) and checked
     * against its descriptor; {@link InvalidImageException} when a blob is missing, too large or does not match.
     */
    Image read(byte[] manifest, long maxBlob) throws IOException {
        ImageManifest parsed = ImageManifest.parse(manifest, "manifest " + Digest.of(manifest));
        Map<Digest, byte[]> content = new HashMap<>();
        for (Descriptor d : Image.referenced(parsed)) {
            content.put(d.digest(), blob(d, maxBlob));
        }
        return new Image(manifest, parsed, content);
    }

    /** One blob, at most {@code max} bytes. */
    byte[] blob(Descriptor d, long max) throws IOException {
        if (d.size() < 0 || d.size() > max) {
            throw new InvalidImageException("blob " + d.digest(), d.size() + " bytes, over the " + max
                    + "-byte limit of the registry's checks");
        }
        Optional<InputStream> in = blobs.open(io.bpfstore.store.image.Digest.parse(d.digest().toString()), 0);
        if (in.isEmpty()) {
            throw new InvalidImageException("blob " + d.digest(), "missing from the registry");
        }
        try (InputStream s = in.get()) {
            return s.readNBytes((int) d.size() + 1);
        }
    }
}
