package io.bpfstore.cli;

import io.bpfstore.registry.server.BlobLocation;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.config.StoreConfig;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --blobs DIR|oci+http(s)://HOST[:PORT]/PREFIX}: where a registry's blob bytes are, for {@code serve},
 * {@code registry index} and {@code registry migrate}. An OCI registry's credentials come from
 * {@link #USERNAME_ENV}/{@link #PASSWORD_ENV}, else from a saved {@code bpfstore login} to it.
 */
final class BlobStoreOption {
    /** Environment variables with the blob store registry's credentials (they win over a saved login). */
    static final String USERNAME_ENV = "BPFSTORE_BLOBS_USERNAME";
    /** See {@link #USERNAME_ENV}. */
    static final String PASSWORD_ENV = "BPFSTORE_BLOBS_PASSWORD";

    @Option(names = "--blobs", paramLabel = "DIR|oci+http(s)://HOST[:PORT]/PREFIX",
            description = "where blob bytes are kept: a directory, or a repository of an OCI registry (credentials from"
                    + " " + USERNAME_ENV + "/" + PASSWORD_ENV + " or a bpfstore login to that registry); default:"
                    + " blobs/ in the data directory; required with --database (a store every instance shares)")
    String spec;

    /** Whether {@code --blobs} was given. */
    boolean given() {
        return spec != null;
    }

    /** Where the blobs are: {@code --blobs}, else the data directory's {@code blobs/}. */
    BlobLocation location(Map<String, String> env) {
        if (spec == null) {
            return BlobLocation.IN_DATA_DIRECTORY;
        }
        try {
            return BlobLocation.parse(spec, registry -> {
                String user = env.get(USERNAME_ENV);
                if (user != null && !user.isBlank()) {
                    return Optional.of(new Credentials(user, env.getOrDefault(PASSWORD_ENV, "")));
                }
                return StoreConfig.locate(env).credentials(registry);
            });
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--blobs: " + e.getMessage());
        }
    }
}
