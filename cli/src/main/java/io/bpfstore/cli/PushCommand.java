package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.manifest.RepositoryName;
import io.bpfstore.store.manifest.SemVer;
import io.bpfstore.store.registry.ProgressBar;
import io.bpfstore.store.registry.PushOptions;
import io.bpfstore.store.registry.PushResult;
import io.bpfstore.store.registry.RegistryClient;
import io.bpfstore.store.signing.Signer;
import io.bpfstore.store.signing.SigningKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bpfstore push LAYOUT_DIR [--registry URL]}: publishes a package layout to {@code namespace/name:version}
 * (all three from the package's label), after verifying every digest in the layout; {@code --sign KEY.pem} then
 * signs the pushed manifest.
 */
@Command(name = "push", description = "Publish a package (an OCI layout made by bpfstore package) to a registry.")
final class PushCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "LAYOUT_DIR", description = "OCI image layout written by bpfstore package")
    Path layout;

    @Option(names = "--registry", paramLabel = "URL", description = "registry address (default: BPFSTORE_REGISTRY or the config file)")
    String registry;

    @Option(names = "--chunk-size", paramLabel = "BYTES", defaultValue = "0",
            description = "upload blobs in chunks of this many bytes (default: one request per blob)")
    long chunkSize;

    @Option(names = "--mount-from", paramLabel = "NS/NAME",
            description = "a repository on the same registry to mount existing blobs from")
    String mountFrom;

    @Option(names = "--sign", paramLabel = "KEY.pem",
            description = "after pushing, sign the pushed manifest with this private key (see bpfstore sign)")
    Path signKey;

    @Override
    public Integer call() throws IOException {
        try {
            // read the key first: a bad key must stop the push, not leave an unsigned package behind
            Optional<SigningKey> key = Optional.ofNullable(signKey).map(SigningKey::read);
            Image image = OciLayout.read(layout, Optional.empty());
            JsonNode pkg = PackageCommand.packageLabel(image);
            String namespace = pkg.path("namespace").asText();
            String name = pkg.path("name").asText();
            String version = pkg.path("version").asText();
            String repository = RepositoryName.of(namespace, name);
            new SemVer(version); // the tag: refuse a label that is not strict semver before talking to anyone
            StoreConfig config = StoreConfig.locate(System.getenv());
            URI uri = config.registry(Optional.ofNullable(registry), System.getenv());
            RegistryClient client = new RegistryClient(uri, config.credentials(uri), ProgressBar.forStderr());
            PushResult r = client.push(image, repository, version, new PushOptions(chunkSize,
                    Optional.ofNullable(mountFrom)));
            spec.commandLine().getOut().printf("pushed %s:%s to %s%nmanifest %s (%d blobs uploaded, %d already there, "
                    + "%d mounted)%n", repository, version, uri, r.digest(), r.uploaded(), r.skipped(), r.mounted());
            if (key.isPresent()) {
                Signer.Signed signed = Signer.signDigest(client, repository, r.digest(), key.get());
                spec.commandLine().getOut().printf("signed %s by key %s (%s)%n", r.digest(),
                        key.get().trusted().fingerprint(), signed.tag());
            }
            spec.commandLine().getOut().flush();
            return 0;
        } catch (RuntimeException e) {
            throw VerifyCommand.userFacing(e);
        }
    }
}
