package io.bpfstore.cli;

import io.bpfstore.store.client.ProgressBar;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.PushResult;
import io.bpfstore.store.publish.PackagePublisher;
import io.bpfstore.store.signing.KeyPassword;
import io.bpfstore.store.signing.Signer;
import io.bpfstore.store.signing.SigningKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore push LAYOUT_DIR [--registry URL]}: publishes a package layout to {@code namespace/name:version}
 * (all three from the package's label), after verifying every digest in the layout and that the object needs no
 * permission the label does not declare; {@code --sign KEY.pem} signs the manifest first, then pushes it. A shell
 * over {@link PackagePublisher}: this class parses the options and prints.
 */
@Command(name = "push", description = "Publish a package (an OCI layout made by bpfstore package) to a registry.")
final class PushCommand implements Callable<Integer> {
    @Parameters(paramLabel = "LAYOUT_DIR", description = "OCI image layout written by bpfstore package")
    Path layout;

    @Mixin
    RegistryOption registry;

    @Option(names = "--chunk-size", paramLabel = "BYTES", defaultValue = "0",
            description = "upload blobs in chunks of this many bytes (default: one request per blob)")
    long chunkSize;

    @Option(names = "--mount-from", paramLabel = "NS/NAME",
            description = "a repository on the same registry to mount existing blobs from")
    String mountFrom;

    @Option(names = "--sign", paramLabel = "KEY.pem",
            description = "sign the manifest with this private key, then push (see bpfstore sign; an encrypted key's "
                    + "password comes from BPFSTORE_KEY_PASSWORD or a prompt)")
    Path signKey;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws IOException {
        if (chunkSize < 0) {
            throw UserError.usage("--chunk-size must not be negative");
        }
        // read the key first: a bad key must stop the push, not leave an unsigned package behind
        Optional<SigningKey> key = Optional.ofNullable(signKey).map(k -> SigningKey.read(k,
                KeyPassword.fromEnvironmentOrTerminal(System.getenv(), System.console())));
        PushOptions options = new PushOptions(chunkSize, Optional.ofNullable(mountFrom));
        PackagePublisher.Published published = PackagePublisher.publish(layout, key,
                () -> registry.client(ProgressBar.forStderr()), options, signed -> {
                    if (!output.json()) {
                        output.out().printf("signed %s by key %s (%s)%n", signed.subject(),
                                key.get().trusted().fingerprint(), signed.tag());
                    }
                });
        URI uri = registry.uri();
        String repository = published.repository();
        String version = published.version();
        PushResult r = published.result();
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("repository", repository);
        doc.put("version", version);
        doc.put("registry", uri.toString());
        doc.put("manifest", r.digest().toString());
        doc.put("uploaded", r.uploaded());
        doc.put("skipped", r.skipped());
        doc.put("mounted", r.mounted());
        doc.put("signed_by", key.map(k -> k.trusted().fingerprint()).orElse(null));
        doc.put("signature", published.signature().map(Signer.Signed::tag).orElse(null));
        return output.print(doc, o -> Terminal.printf(o, "pushed %s:%s to %s%nmanifest %s "
                + "(%d blobs uploaded, %d already there, %d mounted)%n", repository, version, uri, r.digest(),
                r.uploaded(), r.skipped(), r.mounted()));
    }
}
