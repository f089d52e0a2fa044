package io.bpfstore.registry.storage;

import io.bpfstore.store.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Content-addressed blob storage. Every write goes to a staging area first and becomes visible under its
 * digest only after the digest and size were verified, by one atomic step (a rename on a file system, the
 * digest-checked commit of an OCI registry's upload session). A crash or a client that disconnects therefore
 * leaves no blob and no corrupt blob behind, only staging debris that {@link #abortUpload} or a sweep removes.
 *
 * <p>A staged upload may have state of the store's own (an OCI backend's upload URL, which changes with every
 * chunk): the store returns it and the caller keeps it in the {@link UploadSession}, so that an instance of the
 * registry keeps no upload state in memory or on disk and the next chunk may arrive at another instance. A store
 * that needs none returns {@code ""}.
 *
 * <p>A store that cannot be reached throws {@link BlobStoreUnavailableException}; one that returns bytes that do
 * not hash to their digest throws {@link CorruptBlobException} instead of returning them.
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

    /** Checks that the store can be reached and used (for readiness probes); throws if not. */
    void check() throws IOException;

    /** Creates an empty staged upload; returns its staging state for the session to keep. */
    String startUpload(String uploadId) throws IOException;

    /**
     * Appends a chunk to a staged upload. {@code offset} is the authoritative end of the upload as the metadata
     * store recorded it; bytes past it (left by a chunk a crash cut short) are discarded first.
     *
     * @param staging the staging state the previous step returned
     * @return the new end of the upload and the new staging state
     */
    Staged appendUpload(String uploadId, String staging, long offset, InputStream in, long declaredLength)
            throws IOException, BlobStoreException;

    /**
     * Verifies the first {@code length} staged bytes against {@code expected} and publishes them as a blob; the
     * staged upload is removed whether or not verification succeeds.
     */
    BlobInfo commitUpload(String uploadId, String staging, long length, Digest expected)
            throws IOException, BlobStoreException;

    /** Removes a staged upload, if present ({@code staging}: its last staging state, "" if unknown). */
    void abortUpload(String uploadId, String staging) throws IOException;

    /** Every stored blob, in no particular order (for garbage collection). */
    List<StoredBlob> list() throws IOException;

    /** Every staged upload, including debris of sessions that no longer exist. */
    List<StagedUpload> stagedUploads() throws IOException;
}
