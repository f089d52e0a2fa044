package io.bpfstore.registry.server;

import io.bpfstore.registry.auth.TokenSigner;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.files.FileBlobStore;
import io.bpfstore.registry.storage.postgres.PostgresAddress;
import io.bpfstore.registry.storage.postgres.PostgresMetadataStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a registry keeps its state: the embedded set-up (one data directory, the default) or the scaled one
 * (a PostgreSQL database and a blob directory that several instances share).
 */
public sealed interface RegistryStorage {

    /** Opens blobs, metadata and the token signer for serving. */
    DataDirectory open(long maxBlobSize) throws IOException;

    /** Opens only the metadata (for offline administration). */
    MetadataStore openMetadata() throws IOException;

    /** The directory whose files are the blobs (for the stored-bytes metric). */
    Path blobRoot();

    /** A few words for the start-up line, e.g. {@code data /var/lib/bpfstore}. */
    String describe();

    /**
     * The embedded set-up: {@code DIR/blobs}, {@code DIR/registry.db} (SQLite) and {@code DIR/token.key}.
     *
     * @param dataDir the data directory
     */
    record Embedded(Path dataDir) implements RegistryStorage {
        /** Rejects null. */
        public Embedded {
            Objects.requireNonNull(dataDir, "dataDir");
        }

        @Override
        public DataDirectory open(long maxBlobSize) throws IOException {
            return DataDirectory.open(dataDir, maxBlobSize);
        }

        @Override
        public MetadataStore openMetadata() throws IOException {
            return DataDirectory.openMetadata(dataDir);
        }

        @Override
        public Path blobRoot() {
            return dataDir.resolve("blobs");
        }

        @Override
        public String describe() {
            return "data " + dataDir.toAbsolutePath();
        }
    }

    /**
     * The scaled set-up: metadata and the token key in PostgreSQL, blobs in a directory every instance mounts
     * ({@code sha256/} and {@code uploads/} directly under it). An instance keeps nothing of its own.
     *
     * @param database where the database is
     * @param password the role's password if not in PostgreSQL's password file (from {@code PGPASSWORD})
     * @param blobs    the shared blob directory
     */
    record Scaled(PostgresAddress database, Optional<String> password, Path blobs) implements RegistryStorage {
        /** Rejects nulls. */
        public Scaled {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(blobs, "blobs");
        }

        @Override
        public DataDirectory open(long maxBlobSize) throws IOException {
            FileBlobStore files = FileBlobStore.openShared(blobs, maxBlobSize);
            PostgresMetadataStore metadata = PostgresMetadataStore.open(database, password);
            try {
                return new DataDirectory(files, metadata, new TokenSigner(metadata.tokenKey()));
            } catch (RuntimeException e) {
                metadata.close();
                throw e;
            }
        }

        @Override
        public MetadataStore openMetadata() {
            return PostgresMetadataStore.open(database, password);
        }

        @Override
        public Path blobRoot() {
            return blobs;
        }

        @Override
        public String describe() {
            return "database " + database + ", blobs " + blobs.toAbsolutePath();
        }

        /** Password from the environment's {@code PGPASSWORD}, if set and not empty. */
        public static Optional<String> passwordFromEnvironment() {
            return Optional.ofNullable(System.getenv("PGPASSWORD")).filter(p -> !p.isEmpty());
        }
    }
}
