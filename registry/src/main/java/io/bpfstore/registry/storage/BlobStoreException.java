package io.bpfstore.registry.storage;

import io.bpfstore.store.image.Digest;

/** Why a {@link BlobStore} refused bytes; each case maps to one distribution-spec error code. */
public abstract sealed class BlobStoreException extends Exception
        permits BlobStoreException.DigestMismatch, BlobStoreException.TooLarge, BlobStoreException.SizeMismatch,
        BlobStoreException.UnknownUpload, BlobStoreException.OffsetMismatch {
    private static final long serialVersionUID = 1L;

    BlobStoreException(String message) {
        super(message);
    }

    /** The bytes did not hash to the digest the client declared. */
    public static final class DigestMismatch extends BlobStoreException {
        private static final long serialVersionUID = 1L;

        /** @param expected declared digest @param actual digest of the bytes received */
        public DigestMismatch(Digest expected, Digest actual) {
            super("digest " + actual + " of the uploaded content does not match the declared " + expected);
        }

        /** @param expected declared digest @param content what did not hash to it (when the store hashed it) */
        public DigestMismatch(Digest expected, String content) {
            super(content + " do not hash to the declared " + expected);
        }
    }

    /** The bytes exceed the configured maximum blob size. */
    public static final class TooLarge extends BlobStoreException {
        private static final long serialVersionUID = 1L;

        /** @param limit the configured maximum in bytes */
        public TooLarge(long limit) {
            super("blob exceeds the maximum size of " + limit + " bytes");
        }
    }

    /** The number of bytes received differs from the declared length. */
    public static final class SizeMismatch extends BlobStoreException {
        private static final long serialVersionUID = 1L;

        /** @param declared the length the client announced @param received the bytes that arrived */
        public SizeMismatch(long declared, long received) {
            super("declared length " + declared + " but received " + received + " bytes");
        }
    }

    /** No staged upload with that id. */
    public static final class UnknownUpload extends BlobStoreException {
        private static final long serialVersionUID = 1L;

        /** @param id the upload id */
        public UnknownUpload(String id) {
            super("unknown upload " + id);
        }
    }

    /** A chunk did not start where the previous one ended. */
    public static final class OffsetMismatch extends BlobStoreException {
        private static final long serialVersionUID = 1L;

        /** @param expected the current end of the upload @param given where the chunk claims to start */
        public OffsetMismatch(long expected, long given) {
            super("chunk starts at " + given + " but the upload has " + expected + " bytes");
        }
    }
}
