package io.bpfstore.registry.oci;

/** The distribution spec's error codes with the HTTP status this registry answers them with. */
public enum OciError {
    /** Blob unknown to registry. */
    BLOB_UNKNOWN(404),
    /** Blob upload invalid. */
    BLOB_UPLOAD_INVALID(400),
    /** Blob upload unknown to registry. */
    BLOB_UPLOAD_UNKNOWN(404),
    /** Provided digest did not match uploaded content. */
    DIGEST_INVALID(400),
    /** Manifest references a manifest or blob unknown to registry. */
    MANIFEST_BLOB_UNKNOWN(400),
    /** Manifest invalid. */
    MANIFEST_INVALID(400),
    /** Manifest unknown to registry. */
    MANIFEST_UNKNOWN(404),
    /** Invalid repository name. */
    NAME_INVALID(400),
    /** Repository name not known to registry. */
    NAME_UNKNOWN(404),
    /** Provided length did not match content length, or content too large. */
    SIZE_INVALID(400),
    /** Authentication required. */
    UNAUTHORIZED(401),
    /** Requested access to the resource is denied. */
    DENIED(403),
    /** The operation is unsupported. */
    UNSUPPORTED(405),
    /** Too many requests. */
    TOOMANYREQUESTS(429);

    private final int status;

    OciError(int status) {
        this.status = status;
    }

    /** The default HTTP status. */
    public int status() {
        return status;
    }
}
