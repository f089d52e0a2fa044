package io.bpfstore.store.signing;

import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.FetchPurpose;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.client.RegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the signature image of a manifest digest from a registry, through the verified pull path. */
final class SignatureStore {
    private SignatureStore() {
    }

    /**
     * The signature image tagged {@code sha256-<hex>.sig} in {@code repository}, empty when the registry has no
     * such tag. Every blob is digest-checked by {@link RegistryClient#pull}; nothing is left on disk.
     */
    static Optional<Image> fetch(RegistryClient client, String repository, Digest subject) {
        String tag = SignatureManifest.tag(subject);
        Path temp = null;
        try {
            temp = Files.createTempDirectory("bpfstore-sig");
            Path layout = temp.resolve("sig");
            try {
                client.withPurpose(FetchPurpose.SIGNATURE).pull(repository, tag, tag, layout);
            } catch (RegistryException e) {
                if (e.status() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
            return Optional.of(OciLayout.read(layout, Optional.of(tag)));
        } catch (IOException e) {
            throw new UncheckedIOException("read signature " + repository + ":" + tag, e);
        } finally {
            if (temp != null) {
                try {
                    OciLayout.deleteTree(temp);
                } catch (IOException e) {
                    // a leftover temporary directory is harmless
                }
            }
        }
    }
}
