package io.bpfstore.cli;

import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.client.RegistryClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bpfstore login --registry URL --username PUBLISHER --password-stdin}: checks the credentials with the
 * registry's token flow and saves them (mode 0600) for later pushes and yanks. A registry named with
 * {@code --registry} becomes the default in the config file, so later commands need no flag.
 */
@Command(name = "login", description = "Save a publisher's API token for a registry (read from stdin).")
final class LoginCommand implements Callable<Integer> {
    /** Longest token read from stdin. */
    private static final int MAX_TOKEN = 4096;

    @Mixin
    RegistryOption registry;

    @Option(names = {"-u", "--username"}, required = true, paramLabel = "PUBLISHER", description = "publisher name")
    String username;

    @Option(names = "--password-stdin", required = true, description = "read the API token from stdin (it is never a command-line argument)")
    boolean passwordStdin;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws IOException {
        byte[] raw = System.in.readNBytes(MAX_TOKEN + 1);
        if (raw.length > MAX_TOKEN) {
            throw new UserError("the token on stdin is longer than " + MAX_TOKEN + " bytes");
        }
        String token = new String(raw, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw new UserError("no token on stdin (pipe it in: echo $TOKEN | bpfstore login ... --password-stdin)");
        }
        StoreConfig config = registry.config();
        URI uri = registry.uri();
        Credentials credentials = new Credentials(username, token);
        // A registry that asks for tokens checks the credentials here; an open one has nothing to check.
        new RegistryClient(uri, Optional.of(credentials)).ping("");
        config.saveCredentials(uri, credentials);
        if (registry.url != null) {
            config.saveDefaultRegistry(uri);
        }
        return output.print(java.util.Map.of("registry", uri.toString(), "username", username,
                "credentials_file", config.credentialsFile().toString(), "default_registry", registry.url != null),
                o -> o.printf("logged in to %s as %s (saved in %s)%s%n", uri, username, config.credentialsFile(),
                        registry.url != null ? "; it is now the default registry (" + config.file() + ")" : ""));
    }
}
