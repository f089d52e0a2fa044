package io.bpfstore.cli;

import io.bpfstore.store.client.ProgressBar;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.client.StoreClient;
import io.bpfstore.store.config.StoreConfig;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --registry} option the registry commands share, and the clients it names: the address given, else
 * BPFSTORE_REGISTRY, else the config file's default, with the credentials {@code login} saved for it.
 */
final class RegistryOption {
    @Option(names = "--registry", paramLabel = "URL", description = "registry address (default: BPFSTORE_REGISTRY or the config file)")
    String url;

    private StoreConfig config;

    /** The config file (credentials, trusted keys, the default registry), read once. */
    StoreConfig config() {
        if (config == null) {
            config = StoreConfig.locate(System.getenv());
        }
        return config;
    }

    /** The registry's address. */
    URI uri() {
        return config().registry(Optional.ofNullable(url), System.getenv());
    }

    /** A client of the registry's OCI distribution API, with the saved credentials. */
    RegistryClient client() {
        URI uri = uri();
        return new RegistryClient(uri, config().credentials(uri));
    }

    /** A client of the registry's OCI distribution API that shows transfers on {@code progress}. */
    RegistryClient client(ProgressBar progress) {
        URI uri = uri();
        return new RegistryClient(uri, config().credentials(uri), progress);
    }

    /** A client of the store's own API (search, package pages, yank). */
    StoreClient store() {
        URI uri = uri();
        return new StoreClient(uri, config().credentials(uri));
    }
}
