package io.bpfstore.registry;

import io.bpfstore.registry.auth.TokenSigner;
import io.bpfstore.registry.server.BlobLocation;
import io.bpfstore.registry.server.RegistryStorage;
import io.bpfstore.registry.storage.postgres.PostgresMetadataStore;
import io.bpfstore.registry.storage.postgres.PostgresAddress;
import io.bpfstore.testsupport.PostgresCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two storage set-ups the contract tests run against. A test names its state by a directory, as it always
 * did; under {@link #POSTGRESQL} that directory holds only the blobs ({@code DIR/blobs}, so tests that look at
 * blob files see the same layout) and a fresh database of the JVM's throwaway cluster stands for the rest.
 */
enum StorageSetup {
    /** SQLite and files in one data directory (the default set-up). */
    EMBEDDED,
    /** A PostgreSQL database and a shared blob directory (the scaled set-up). */
    POSTGRESQL;

    private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();

    /** The token signer the registry on {@code data} uses (its key file, or the key in the database). */
    TokenSigner signer(Path data) throws IOException {
        if (this == EMBEDDED) {
            return TokenSigner.open(data.resolve("token.key"));
        }
        RegistryStorage.Scaled scaled = (RegistryStorage.Scaled) storage(data);
        try (PostgresMetadataStore store = PostgresMetadataStore.open(scaled.database(), scaled.password())) {
            return new TokenSigner(store.tokenKey());
        }
    }

    /** The storage standing for {@code data}; under PostgreSQL the same database every time for one directory. */
    RegistryStorage storage(Path data) {
        return storage(data, BlobLocation.IN_DATA_DIRECTORY);
    }

    /**
     * As {@link #storage(Path)} with blobs in {@code blobs}; under PostgreSQL the data directory's own blobs
     * become the shared directory {@code DIR/blobs}.
     */
    RegistryStorage storage(Path data, BlobLocation blobs) {
        return switch (this) {
            case EMBEDDED -> new RegistryStorage.Embedded(data, blobs);
            case POSTGRESQL -> {
                PostgresCluster cluster = PostgresCluster.shared();
                String db = DATABASES.computeIfAbsent(data.toAbsolutePath(), d -> cluster.newDatabase());
                yield new RegistryStorage.Scaled(PostgresAddress.parse(cluster.url(db)), Optional.of(cluster.password()),
                        blobs == BlobLocation.IN_DATA_DIRECTORY
                                ? new BlobLocation.Directory(Optional.of(data.resolve("blobs"))) : blobs);
            }
        };
    }

    /**
     * The set-ups the contract tests run in, as (storage, blob store): embedded with files (the default), embedded
     * with an OCI blob store, and the stateless scaled set-up (PostgreSQL and an OCI blob store); PostgreSQL with a
     * shared directory is {@code ScaledRegistryTest}'s.
     */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> contract() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(EMBEDDED, BlobBackend.FILES),
                org.junit.jupiter.params.provider.Arguments.of(EMBEDDED, BlobBackend.OCI),
                org.junit.jupiter.params.provider.Arguments.of(POSTGRESQL, BlobBackend.OCI));
    }
}
