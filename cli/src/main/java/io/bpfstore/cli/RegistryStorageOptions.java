package io.bpfstore.cli;

import io.bpfstore.registry.server.DataDirectory;
import io.bpfstore.registry.server.RegistryStorage;
import io.bpfstore.registry.storage.BlobStoreUnavailableException;
import io.bpfstore.registry.storage.MetadataException;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.postgres.PostgresAddress;
import io.bpfstore.registry.storage.postgres.PostgresMetadataStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a registry's state is: {@code --data DIR} (the embedded set-up) or {@code --database URL} (the scaled
 * set-up's PostgreSQL database), exactly one of them. Offline administration ({@code publisher}, {@code registry
 * index list}) needs only this; {@link Served} adds the blob store for what serves or copies blobs. The database
 * password comes from {@code PGPASSWORD} or PostgreSQL's password file, never from the command line.
 */
final class RegistryStorageOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "the registry's data directory: registry.db, token.key, blobs/ (created if missing);"
                    + " the embedded set-up")
    Path data;

    @Option(names = "--database", paramLabel = "postgresql://USER@HOST[:PORT]/DB",
            description = "the registry's PostgreSQL database: the scaled set-up, catalog, accounts and token key"
                    + " (password from PGPASSWORD or ~/.pgpass); several instances may serve one database")
    String database;

    /** The metadata of the storage the options name (no blob store is opened). */
    MetadataStore openMetadata() throws IOException {
        requireOne();
        try {
            return data != null ? DataDirectory.openMetadata(data)
                    : PostgresMetadataStore.open(address(), RegistryStorage.Scaled.passwordFromEnvironment());
        } catch (MetadataException e) {
            throw cannotOpen(data != null ? "data " + data.toAbsolutePath() : "database " + address(), e);
        }
    }

    private void requireOne() {
        if ((data == null) == (database == null)) {
            throw UserError.usage("give either --data DIR (embedded) or --database postgresql://USER@HOST/DB");
        }
    }

    private PostgresAddress address() {
        try {
            return PostgresAddress.parse(database);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--database: " + e.getMessage());
        }
    }

    private static UserError cannotOpen(String what, Exception e) {
        return new UserError("cannot open the registry's storage (" + what + "): " + e.getMessage(), e);
    }

    /**
     * The storage of a registry that serves or copies blobs ({@code serve}, {@code registry index}): the options
     * above and {@code --blobs}, which the scaled set-up requires (its instances share the blob store).
     */
    static final class Served {
        @picocli.CommandLine.Mixin
        RegistryStorageOptions where = new RegistryStorageOptions();

        @picocli.CommandLine.Mixin
        BlobStoreOption blobs = new BlobStoreOption();

        /** The storage the options name, checked for a usable combination; credentials from {@code env}. */
        RegistryStorage storage(Map<String, String> env) {
            where.requireOne();
            if (where.data != null) {
                return new RegistryStorage.Embedded(where.data, blobs.location(env));
            }
            PostgresAddress address = where.address();
            if (!blobs.given()) {
                throw UserError.usage("--database needs --blobs DIR|oci+http(s)://HOST/PREFIX, the blob store the"
                        + " instances share");
            }
            return new RegistryStorage.Scaled(address, RegistryStorage.Scaled.passwordFromEnvironment(),
                    blobs.location(env));
        }

        /** Something that opens the storage: the storage itself, or a registry server starting on it. */
        @FunctionalInterface
        interface Opening<T> {
            T open() throws Exception;
        }

        /** Runs {@code opening} on {@code storage}, turning an unreachable database or blob store into one line. */
        static <T> T open(RegistryStorage storage, Opening<T> opening) throws Exception {
            try {
                return opening.open();
            } catch (MetadataException e) {
                throw cannotOpen(storage.describe(), e);
            } catch (BlobStoreUnavailableException e) {
                throw new UserError(e.getMessage(), e);
            }
        }
    }
}
