package io.bpfstore.cli;

import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.store.signing.KeyFiles;
import io.bpfstore.store.signing.SignaturePolicy;
import io.bpfstore.store.signing.TrustedKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code --key PUB.pem} option of the commands that check a registry signature themselves ({@code verify},
 * {@code pull}), and the signature policy it makes.
 */
final class TrustedKeys {
    @Option(names = "--key", paramLabel = "PUB.pem",
            description = "trusted public key (repeatable; default: the trusted-keys directory beside the config file)")
    List<Path> files = new ArrayList<>();

    /**
     * The signature policy from the command line: {@code allowUnsigned} ({@code --allow-unsigned}), else the
     * {@code --key} files, else the trusted-keys directory beside the config file; none of these is a refusal
     * saying how to fix it.
     */
    SignaturePolicy policy(StoreConfig config, boolean allowUnsigned) {
        if (allowUnsigned) {
            return new SignaturePolicy.AllowUnsigned();
        }
        Path dir = config.trustedKeysDir();
        List<TrustedKey> trusted = files.isEmpty() ? KeyFiles.trustedKeys(dir)
                : files.stream().map(TrustedKey::read).toList();
        if (trusted.isEmpty()) {
            throw new UserError("no trusted keys to verify the signature with: pass --key PUB.pem, put public keys "
                    + "in " + dir + ", or pass --allow-unsigned");
        }
        return new SignaturePolicy.Require(trusted);
    }
}
