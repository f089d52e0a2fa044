package io.bpfstore.registry.server;

import io.bpfstore.registry.auth.TokenSigner;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.BlobStore;
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

    /** A few words for the start-up line, e.g. {@code data /var/lib/bpfstore}. */
    String describe();

    /** Where the blob bytes are. */
    BlobLocation blobs();

    /** The same set-up with the blobs elsewhere. */
    RegistryStorage withBlobs(BlobLocation blobs);

    /**
     * The embedded set-up: {@code DIR/registry.db} (SQLite), {@code DIR/token.key} and the blobs, by default in
     * {@code DIR/blobs}.
     *
     * @param dataDir the data directory
     * @param blobs   where the blobs are ({@link BlobLocation#IN_DATA_DIRECTORY} by default)
     */
    record Embedded(Path dataDir, BlobLocation blobs) implements RegistryStorage {
        /** Rejects nulls. */
        public Embedded {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(blobs, "blobs");
        }

        /** Everything in {@code dataDir}. */
        public Embedded(Path dataDir) {
            this(dataDir, BlobLocation.IN_DATA_DIRECTORY);
        }

        @Override
        public DataDirectory open(long maxBlobSize) throws IOException {
            return DataDirectory.open(dataDir, blobs, maxBlobSize);
        }

        @Override
        public Embedded withBlobs(BlobLocation value) {
            return new Embedded(dataDir, value);
        }

        @Override
        public MetadataStore openMetadata() throws IOException {
            return DataDirectory.openMetadata(dataDir);
        }

        @Override
        public String describe() {
            return "data " + dataDir.toAbsolutePath() + (blobs == BlobLocation.IN_DATA_DIRECTORY ? "" : ", blobs " + blobs);
        }
    }

    /**
     * The scaled set-up: metadata and the token key in PostgreSQL, blobs in an OCI registry or in a directory every
     * instance mounts ({@code sha256/} and {@code uploads/} directly under it). An instance keeps nothing of its own
     * and needs no local directory: staged uploads are files in the shared directory's {@code uploads/} (so a chunk
     * may reach any instance), or upload sessions of the OCI registry; the access log goes where
     * {@link Operations#accessLog()} says.
     *
     * @param database where the database is
     * @param password the role's password if not in PostgreSQL's password file (from {@code PGPASSWORD})
     * @param blobs    the shared blob store: an OCI registry's repository or a directory
     */
    record Scaled(PostgresAddress database, Optional<String> password, BlobLocation blobs) implements RegistryStorage {
        /** Rejects nulls and a blob location that is not shared (the data directory of one instance). */
        public Scaled {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(blobs, "blobs");
            if (blobs instanceof BlobLocation.Directory d && d.dir().isEmpty()) {
                throw new IllegalArgumentException("the scaled set-up needs a shared blob directory or an OCI registry");
            }
        }

        /** Blobs in the shared directory {@code blobs}. */
        public Scaled(PostgresAddress database, Optional<String> password, Path blobs) {
            this(database, password, new BlobLocation.Directory(Optional.of(blobs)));
        }

        @Override
        public DataDirectory open(long maxBlobSize) throws IOException {
            BlobStore files = blobs.openShared(maxBlobSize);
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
        public Scaled withBlobs(BlobLocation value) {
            return new Scaled(database, password, value);
        }

        @Override
        public String describe() {
            return "database " + database + ", blobs " + blobs;
        }

        /** Password from the environment's {@code PGPASSWORD}, if set and not empty. */
        public static Optional<String> passwordFromEnvironment() {
            return Optional.ofNullable(System.getenv("PGPASSWORD")).filter(p -> !p.isEmpty());
        }
    }
}
