package io.bpfstore.cli;

import io.bpfstore.store.signing.SigningKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bpfstore keygen --out DIR [--password-stdin]}: writes a fresh ECDSA P-256 key pair, {@code signing.key}
 * (PKCS#8 PEM, mode 0600; encrypted with PBES2/AES-256 under the password read from stdin when asked) and
 * {@code signing.pub} (SubjectPublicKeyInfo PEM), the formats openssl and cosign import.
 */
@Command(name = "keygen", description = "Create an ECDSA P-256 signing key pair (PEM, cosign-compatible).")
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "directory to write signing.key (0600) and signing.pub into; existing keys are kept")
    Path out;

    @Option(names = "--password-stdin",
            description = "encrypt the private key with the password read from the first line of stdin")
    boolean passwordStdin;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws IOException {
        Optional<char[]> password = Optional.empty();
        if (passwordStdin) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new UserError("--password-stdin: no password on stdin");
            }
            password = Optional.of(line.toCharArray());
        }
        SigningKey key = SigningKey.generate();
        try {
            key.writePair(out, password);
        } catch (FileAlreadyExistsException e) {
            throw new UserError(e.getFile() + " exists: refusing to overwrite a key");
        }
        boolean encrypted = password.isPresent();
        return output.print(java.util.Map.of("private_key",
                out.resolve(SigningKey.PRIVATE_FILE).toString(), "encrypted", encrypted, "public_key",
                out.resolve(SigningKey.PUBLIC_FILE).toString(), "fingerprint", key.trusted().fingerprint()),
                o -> o.printf("wrote %s (private%s, keep it secret) and %s%npublic key %s%n",
                        out.resolve(SigningKey.PRIVATE_FILE), encrypted ? ", encrypted" : "",
                        out.resolve(SigningKey.PUBLIC_FILE), key.trusted().fingerprint()));
    }
}
