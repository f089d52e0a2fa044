package io.bpfstore.registry.storage;

import io.bpfstore.store.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Content-addressed blob storage. Every write goes to a staging area first and becomes visible under its
 * digest only after the digest and size were verified, by one atomic step (a rename on a file system, a
 * conditional copy on an object store). A crash or a client that disconnects therefore leaves no blob and no
 * corrupt blob behind, only staging debris that {@link #abortUpload} or a sweep removes.
 */
public interface BlobStore {

    /** The largest blob accepted, in bytes. */
    long maxBlobSize();

    /**
     * Stores {@code in} in one go and returns it once verified.
     *
     * @param expected       the digest the client declared
     * @param in             the content; read to its end
     * @param declaredLength the length the client declared, or -1 if unknown
     */
    BlobInfo put(Digest expected, InputStream in, long declaredLength) throws IOException, BlobStoreException;

    /** The blob's size, if the blob exists. */
    Optional<BlobInfo> stat(Digest digest) throws IOException;

    /** Opens the blob from {@code offset}; the caller closes the stream. Empty if the blob does not exist. */
    Optional<InputStream> open(Digest digest, long offset) throws IOException;

    /** Deletes the blob; false if it did not exist. */
    boolean delete(Digest digest) throws IOException;

    /** Creates an empty staged upload. */
    void startUpload(String uploadId) throws IOException;

    /**
     * Appends a chunk to a staged upload. {@code offset} is the authoritative end of the upload as the metadata
     * store recorded it; bytes past it (left by a chunk a crash cut short) are discarded first.
     *
     * @return the new end of the upload
     */
    long appendUpload(String uploadId, long offset, InputStream in, long declaredLength)
            throws IOException, BlobStoreException;

    /**
     * Verifies the first {@code length} staged bytes against {@code expected} and publishes them as a blob; the
     * staged upload is removed whether or not verification succeeds.
     */
    BlobInfo commitUpload(String uploadId, long length, Digest expected) throws IOException, BlobStoreException;

    /** Removes a staged upload, if present. */
    void abortUpload(String uploadId) throws IOException;

    /** Every stored blob, in no particular order (for garbage collection). */
    List<StoredBlob> list() throws IOException;

    /** Every staged upload, including debris of sessions that no longer exist. */
    List<StagedUpload> stagedUploads() throws IOException;
}
