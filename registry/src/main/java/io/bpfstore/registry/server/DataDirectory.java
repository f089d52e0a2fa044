package io.bpfstore.registry.server;

import io.bpfstore.registry.auth.TokenSigner;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.sqlite.SqliteMetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded registry's state on disk: {@code blobs/}, {@code registry.db} and {@code token.key}.
 *
 * @param blobs    the blob store
 * @param metadata the metadata store (close it)
 * @param signer   the token signer
 */
public record DataDirectory(BlobStore blobs, MetadataStore metadata, TokenSigner signer) implements AutoCloseable {

    /** Opens (creating) the data directory, blobs in its {@code blobs/}. */
    public static DataDirectory open(Path dir, long maxBlobSize) throws IOException {
        return open(dir, BlobLocation.IN_DATA_DIRECTORY, maxBlobSize);
    }

    /**
     * Opens (creating) the data directory, with blobs where {@code blobLocation} says.
     *
     * @throws io.bpfstore.registry.storage.BlobStoreUnavailableException if a remote blob store cannot be reached
     */
    public static DataDirectory open(Path dir, BlobLocation blobLocation, long maxBlobSize) throws IOException {
        Files.createDirectories(dir);
        BlobStore blobs = blobLocation.open(dir, maxBlobSize);
        TokenSigner signer = TokenSigner.open(dir.resolve("token.key"));
        MetadataStore metadata = SqliteMetadataStore.open(dir.resolve("registry.db"));
        return new DataDirectory(blobs, metadata, signer);
    }

    /** Opens only the metadata database (for offline account administration). */
    public static MetadataStore openMetadata(Path dir) throws IOException {
        Files.createDirectories(dir);
        return SqliteMetadataStore.open(dir.resolve("registry.db"));
    }

    @Override
    public void close() {
        metadata.close();
    }
}
