package io.bpfstore.store.publish;

import io.bpfstore.store.build.PackageContents;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.PushResult;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.SemVer;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.signing.Signer;
import io.bpfstore.store.signing.SigningKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Publishes a package layout (made by {@code bpfstore package}) to {@code namespace/name:version}, all three from
 * the package's label: read the layout (every digest verified), require that the object needs no permission the
 * label does not declare and that the version is strict semver, then sign the manifest if a key is given, then push.
 */
public final class PackagePublisher {
    private PackagePublisher() {
    }

    /**
     * What {@link #publish} did.
     *
     * @param repository the package's {@code namespace/name}
     * @param version    the version tag pushed
     * @param result     the manifest digest and what happened to each blob
     * @param signature  the signature pushed before the manifest, if a key was given
     */
    public record Published(String repository, String version, PushResult result, Optional<Signer.Signed> signature) {
    }

    /**
     * Publishes the layout at {@code layout}; nothing is sent until the layout passed its checks.
     *
     * @param key     the key to sign the manifest with, if any
     * @param client  the registry, asked for only once the layout passed its checks
     * @param options chunking and cross-repository mounts for the push
     * @param signed  told of the signature once it is pushed, before the package is
     * @throws io.bpfstore.store.image.InvalidImageException if the layout or its label is bad
     */
    public static Published publish(Path layout, Optional<SigningKey> key, Supplier<RegistryClient> client,
                                    PushOptions options, Consumer<Signer.Signed> signed) throws IOException {
        Image image = OciLayout.read(layout, Optional.empty());
        PackageContents contents = PackageContents.of(image);
        // the layout may have been edited since bpfstore package checked it; registries check again
        contents.requireDeclared();
        String repository = contents.repository();
        String version = contents.version();
        SemVer.packageVersion(version); // the tag: refuse a label that is not strict semver before talking to anyone
        RegistryClient registry = client.get();
        Optional<Signer.Signed> signature = Optional.empty();
        if (key.isPresent()) {
            // the bytes pushed are these, so the digest signed is the digest the registry gets
            signature = Optional.of(Signer.signDigest(registry, repository, image.digest(), key.get()));
            signed.accept(signature.get());
        }
        PushResult result = registry.push(image, repository, version, options);
        return new Published(repository, version, result, signature);
    }
}
