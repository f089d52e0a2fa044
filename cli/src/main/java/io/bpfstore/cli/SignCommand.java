package io.bpfstore.cli;

import io.bpfstore.store.client.PackageReference;
import io.bpfstore.store.signing.KeyPassword;
import io.bpfstore.store.signing.Signer;
import io.bpfstore.store.signing.SigningKey;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bpfstore sign NS/NAME@VERSION --key KEY.pem [--registry URL]}: signs the manifest digest the registry
 * serves for the package and stores a cosign signature manifest under {@code sha256-<hex>.sig}.
 */
@Command(name = "sign", description = "Sign a published package (cosign-compatible signature in the registry).")
final class SignCommand implements Callable<Integer> {
    @Mixin
    PublishedVersion pkg;

    @Option(names = "--key", paramLabel = "KEY.pem", required = true,
            description = "private key: PKCS#8 PEM (bpfstore keygen, openssl pkcs8 -topk8); if encrypted, the "
                    + "password comes from BPFSTORE_KEY_PASSWORD or a prompt on the terminal")
    Path key;

    @Mixin
    RegistryOption registry;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        PackageReference ref = pkg.ref();
        String reference = PublishedVersion.reference(ref, "sign");
        SigningKey signingKey = SigningKey.read(key, KeyPassword.fromEnvironmentOrTerminal(System.getenv(),
                System.console()));
        Signer.Signed s = Signer.sign(registry.client(), ref.repository(), reference, signingKey);
        return output.print(java.util.Map.of("repository", ref.repository(), "reference", reference, "manifest",
                s.subject().toString(), "signature", ref.repository() + ":" + s.tag(), "signed_by",
                signingKey.trusted().fingerprint()), o -> o.printf("signed %s@%s (manifest %s)%nsignature %s:%s by "
                + "key %s%n", ref.repository(), reference, s.subject(), ref.repository(), s.tag(),
                signingKey.trusted().fingerprint()));
    }
}
