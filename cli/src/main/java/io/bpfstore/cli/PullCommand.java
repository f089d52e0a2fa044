package io.bpfstore.cli;

import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.client.PackageReference;
import io.bpfstore.store.client.ProgressBar;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.signing.SignaturePolicy;
import io.bpfstore.store.signing.VerifiedPull;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore pull NS/NAME[@VERSION|@DIGEST] [--out DIR]}: downloads a package into an OCI layout, every
 * digest verified before the layout appears. Without a version: the store's latest, or (on a plain OCI registry)
 * the highest released semver tag. The package's cosign signature is verified first ({@code --key}, or the
 * trusted-keys directory); {@code --allow-unsigned} skips that.
 */
@Command(name = "pull", description = "Download a package into an OCI image layout (digests verified).")
final class PullCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "NAMESPACE/NAME, optionally @VERSION or @sha256:DIGEST")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "layout directory to create (default: ./NAME-VERSION)")
    Path out;

    @Mixin
    RegistryOption registry;

    @Mixin
    TrustedKeys keys;

    @Option(names = "--allow-unsigned", description = "pull without verifying a signature")
    boolean allowUnsigned;

    @Option(names = "--allow-downgrade", description = "allow a version lower than one already pulled from this "
            + "registry (a rollback); refused otherwise, so that a tampered registry cannot roll you back")
    boolean allowDowngrade;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws IOException {
        PackageReference ref = PackageReference.parse(name);
        StoreConfig config = registry.config();
        RegistryClient client = registry.client(ProgressBar.forStderr());
        String reference = ref.reference().orElseGet(() -> registry.store().latestVersion(ref, client).orElseThrow(() ->
                new UserError(ref.repository() + " has no released version; name one with @VERSION")));
        String label = ref.digest().isPresent() ? null : reference;
        Path target = out != null ? out : Path.of(ref.name() + "-" + (label != null ? label
                : ref.digest().get().hex().substring(0, 12)));
        SignaturePolicy policy;
        try {
            policy = keys.policy(config, allowUnsigned);
        } catch (UserError noKeys) {
            client.manifest(ref.repository(), reference);  // a version that does not exist is the first thing to say
            throw noKeys;
        }
        VerifiedPull.Pulled pulled = VerifiedPull.pull(client, ref.repository(), reference, label, target, policy,
                Optional.of(new VerifiedPull.Rollback(config.pulledVersions(), allowDowngrade)));
        Descriptor d = pulled.manifest();
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("repository", ref.repository());
        doc.put("reference", reference);
        doc.put("layout", target.toString());
        doc.put("manifest", d.digest().toString());
        doc.put("signed_by", pulled.verified().map(v -> v.key().fingerprint()).orElse(null));
        return output.print(doc, o -> Terminal.printf(o,
                "pulled %s@%s into %s%nmanifest %s (verified)%n%s%n", ref.repository(), reference, target, d.digest(),
                pulled.verified().map(v -> "signed by key " + v.key().fingerprint())
                        .orElse("signature not checked (--allow-unsigned)")));
    }
}
