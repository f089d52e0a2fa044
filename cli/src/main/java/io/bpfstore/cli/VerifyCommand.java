package io.bpfstore.cli;

import io.bpfstore.store.client.PackageReference;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.signing.SignaturePolicy;
import io.bpfstore.store.signing.Verifier;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bpfstore verify NS/NAME@VERSION [--key PUB.pem]}: checks the package's cosign signature against the
 * given key (or the trusted keys beside the config file); exit 0 only when a signature verifies.
 */
@Command(name = "verify", description = "Verify a published package's signature (exit 0 only when valid).")
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    PublishedVersion pkg;

    @Mixin
    TrustedKeys keys;

    @Mixin
    RegistryOption registry;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        PackageReference ref = pkg.ref();
        String reference = PublishedVersion.reference(ref, "verify");
        SignaturePolicy.Require policy = (SignaturePolicy.Require) keys.policy(registry.config(), false);
        RegistryClient client = registry.client();
        Digest subject = Digest.of(client.manifest(ref.repository(), reference));
        Verifier.Verified v = Verifier.verify(client, ref.repository(), subject, policy.keys());
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("repository", ref.repository());
        doc.put("reference", reference);
        doc.put("manifest", subject.toString());
        doc.put("signed_by", v.key().fingerprint());
        doc.put("docker_reference", v.payload().dockerReference());
        return output.print(doc, o -> Terminal.printf(o, "verified %s@%s (manifest %s)%nsigned by key %s for %s%n",
                ref.repository(), reference, subject, v.key().fingerprint(), v.payload().dockerReference()));
    }
}
