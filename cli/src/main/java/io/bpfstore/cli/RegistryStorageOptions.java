package io.bpfstore.cli;

import io.bpfstore.registry.server.BlobLocation;
import io.bpfstore.registry.server.RegistryStorage;
import io.bpfstore.registry.storage.MetadataException;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.postgres.PostgresAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a registry's state is, for the offline administration commands ({@code publisher ...}): the embedded
 * data directory or the scaled set-up's PostgreSQL database. The database password comes from
 * {@code PGPASSWORD} or PostgreSQL's password file, never from the command line.
 */
final class RegistryStorageOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "the registry's data directory (embedded set-up)")
    Path data;

    @Option(names = "--database", paramLabel = "postgresql://USER@HOST[:PORT]/DB",
            description = "the registry's PostgreSQL database (scaled set-up; password from PGPASSWORD or ~/.pgpass)")
    String database;

    /** The metadata of the storage the options name; exactly one of --data and --database is required. */
    MetadataStore openMetadata() throws IOException {
        return open(storage(data, database, BlobLocation.IN_DATA_DIRECTORY));
    }

    /**
     * The storage {@code --data}, {@code --database} and {@code --blobs} name, checked for a usable combination.
     *
     * @param blobs where the blobs are ({@code --blobs}); the data directory's own is not shared, so a database
     *              needs another (offline administration, which opens no blobs, passes the default)
     */
    static RegistryStorage storage(Path data, String database, BlobLocation blobs) {
        if ((data == null) == (database == null)) {
            throw UserError.usage("give either --data DIR (embedded) or --database postgresql://USER@HOST/DB");
        }
        if (data != null) {
            return new RegistryStorage.Embedded(data, blobs);
        }
        PostgresAddress address;
        try {
            address = PostgresAddress.parse(database);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--database: " + e.getMessage());
        }
        // offline administration needs no blobs; a placeholder keeps the record whole and is never opened
        return new RegistryStorage.Scaled(address, RegistryStorage.Scaled.passwordFromEnvironment(),
                blobs == BlobLocation.IN_DATA_DIRECTORY ? new BlobLocation.Directory(Optional.of(Path.of("."))) : blobs);
    }

    /** Opens the metadata, turning an unreachable or broken database into one line. */
    static MetadataStore open(RegistryStorage storage) throws IOException {
        try {
            return storage.openMetadata();
        } catch (MetadataException e) {
            String what = storage instanceof RegistryStorage.Scaled scaled ? "database " + scaled.database()
                    : storage.describe();
            throw new UserError("cannot open the registry's " + what + ": " + e.getMessage(), e);
        }
    }
}
