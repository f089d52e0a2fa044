package io.bpfstore.cli;

import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.client.PackageReference;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.signing.KeyFiles;
import io.bpfstore.store.signing.SignaturePolicy;
import io.bpfstore.store.signing.TrustedKey;
import io.bpfstore.store.signing.Verifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bpfstore verify NS/NAME@VERSION [--key PUB.pem]}: checks the package's cosign signature against the
 * given key (or the trusted keys beside the config file); exit 0 only when a signature verifies.
 */
@Command(name = "verify", description = "Verify a published package's signature (exit 0 only when valid).")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "NAMESPACE/NAME@VERSION or NAMESPACE/NAME@sha256:DIGEST")
    String name;

    @Option(names = "--key", paramLabel = "PUB.pem",
            description = "trusted public key (repeatable; default: the trusted-keys directory beside the config file)")
    List<Path> keys = new ArrayList<>();

    @Mixin
    RegistryOption registry;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        PackageReference ref = PackageReference.parse(name);
        String reference = ref.reference().orElseThrow(() -> UserError.usage("name the version to verify: "
                + ref.repository() + "@VERSION"));
        SignaturePolicy.Require policy = (SignaturePolicy.Require) policy(registry.config(), keys, false);
        RegistryClient client = registry.client();
        Digest subject = Digest.of(client.manifest(ref.repository(), reference));
        Verifier.Verified v = Verifier.verify(client, ref.repository(), subject, policy.keys());
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("repository", ref.repository());
        doc.put("reference", reference);
        doc.put("manifest", subject.toString());
        doc.put("signed_by", v.key().fingerprint());
        doc.put("docker_reference", v.payload().dockerReference());
        return output.print(spec.commandLine().getOut(), doc, o -> Terminal.printf(o,
                "verified %s@%s (manifest %s)%nsigned by key %s for %s%n", ref.repository(), reference, subject,
                v.key().fingerprint(), v.payload().dockerReference()));
    }

    /**
     * The signature policy from the command line: {@code --allow-unsigned}, else the {@code --key} files, else the
     * trusted-keys directory beside the config file; none of these is a refusal saying how to fix it.
     */
    static SignaturePolicy policy(StoreConfig config, List<Path> keyFiles, boolean allowUnsigned) {
        if (allowUnsigned) {
            return new SignaturePolicy.AllowUnsigned();
        }
        Path dir = trustedKeysDir(config);
        List<TrustedKey> trusted = keyFiles.isEmpty() ? KeyFiles.trustedKeys(dir)
                : keyFiles.stream().map(TrustedKey::read).toList();
        if (trusted.isEmpty()) {
            throw new UserError("no trusted keys to verify the signature with: pass --key PUB.pem, put public keys "
                    + "in " + dir + ", or pass --allow-unsigned");
        }
        return new SignaturePolicy.Require(trusted);
    }

    /** The directory of public keys the user trusts, beside the config file. */
    static Path trustedKeysDir(StoreConfig config) {
        return config.trustedKeysDir();
    }
}
