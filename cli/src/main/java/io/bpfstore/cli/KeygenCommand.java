package io.bpfstore.cli;

import io.bpfstore.store.signing.SigningKey;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bpfstore keygen --out DIR}: writes a fresh ECDSA P-256 key pair, {@code signing.key} (unencrypted
 * PKCS#8 PEM, mode 0600) and {@code signing.pub} (SubjectPublicKeyInfo PEM), the formats cosign imports.
 */
@Command(name = "keygen", description = "Create an ECDSA P-256 signing key pair (PEM, cosign-compatible).")
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "directory to write signing.key (0600) and signing.pub into; existing keys are kept")
    Path out;

    @Override
    public Integer call() throws IOException {
        SigningKey key = SigningKey.generate();
        try {
            key.writePair(out);
        } catch (FileAlreadyExistsException e) {
            throw new UserError(e.getFile() + " exists: refusing to overwrite a key");
        }
        spec.commandLine().getOut().printf("wrote %s (private, keep it secret) and %s%npublic key %s%n",
                out.resolve(SigningKey.PRIVATE_FILE), out.resolve(SigningKey.PUBLIC_FILE), key.trusted().fingerprint());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
