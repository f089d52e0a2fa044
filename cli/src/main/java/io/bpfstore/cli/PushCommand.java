package io.bpfstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.layout.OciLayout;
import io.bpfstore.store.image.RepositoryName;
import io.bpfstore.store.image.SemVer;
import io.bpfstore.store.client.ProgressBar;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.PushResult;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.build.PackageContents;
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
 * permission the label does not declare; {@code --sign KEY.pem} signs the manifest first, then pushes it.
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
        Image image = OciLayout.read(layout, Optional.empty());
        JsonNode pkg = PackageCommand.packageLabel(image);
        // the layout may have been edited since bpfstore package checked it; registries check again
        PackageContents.of(image).requireDeclared();
        String namespace = pkg.path("namespace").asText();
        String name = pkg.path("name").asText();
        String version = pkg.path("version").asText();
        String repository = RepositoryName.of(namespace, name);
        SemVer.packageVersion(version); // the tag: refuse a label that is not strict semver before talking to anyone
        URI uri = registry.uri();
        RegistryClient client = registry.client(ProgressBar.forStderr());
        String signature = null;
        if (key.isPresent()) {
            // sign the digest about to be pushed, then push: a namespace that requires signatures refuses a
            // manifest whose signature is not there yet (the bytes pushed are these, so the digest is the same)
            Signer.Signed signed = Signer.signDigest(client, repository, image.digest(), key.get());
            signature = signed.tag();
            if (!output.json()) {
                output.out().printf("signed %s by key %s (%s)%n", image.digest(),
                        key.get().trusted().fingerprint(), signed.tag());
            }
        }
        PushResult r = client.push(image, repository, version, new PushOptions(chunkSize,
                Optional.ofNullable(mountFrom)));
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("repository", repository);
        doc.put("version", version);
        doc.put("registry", uri.toString());
        doc.put("manifest", r.digest().toString());
        doc.put("uploaded", r.uploaded());
        doc.put("skipped", r.skipped());
        doc.put("mounted", r.mounted());
        doc.put("signed_by", key.map(k -> k.trusted().fingerprint()).orElse(null));
        doc.put("signature", signature);
        return output.print(doc, o -> Terminal.printf(o, "pushed %s:%s to %s%nmanifest %s "
                + "(%d blobs uploaded, %d already there, %d mounted)%n", repository, version, uri, r.digest(),
                r.uploaded(), r.skipped(), r.mounted()));
    }
}
