package io.bpfstore.registry.oci;

import io.bpfstore.registry.auth.Action;
import io.bpfstore.registry.http.Exchange;
import io.bpfstore.registry.storage.BlobInfo;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.BlobStoreException;
import io.bpfstore.store.image.Digest;
import io.bpfstore.registry.storage.Repositories;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /v2/<name>/blobs/<digest>}: HEAD, GET (one byte range at most) and DELETE (unlink). */
final class BlobEndpoints {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    private final BlobStore blobs;
    private final Repositories repositories;
    private final AccessGate gate;

    BlobEndpoints(BlobStore blobs, Repositories repositories, AccessGate gate) {
        this.blobs = blobs;
        this.repositories = repositories;
        this.gate = gate;
    }

    void handle(Exchange ex, String repo, String reference) throws OciException, IOException {
        Digest digest = digest(reference);
        switch (ex.method()) {
            case "HEAD", "GET" -> get(ex, repo, digest);
            case "DELETE" -> {
                gate.require(ex, repo, Action.DELETE);
                if (!repositories.unlinkBlob(repo, digest)) {
                    throw new OciException(OciError.BLOB_UNKNOWN, "blob unknown to registry", digest.toString());
                }
                ex.respondEmpty(202);
            }
            default -> throw Distribution.methodNotAllowed(ex, "GET, HEAD, DELETE");
        }
    }

    private void get(Exchange ex, String repo, Digest digest) throws OciException, IOException {
        gate.require(ex, repo, Action.PULL);
        Optional<BlobInfo> info = repositories.isBlobLinked(repo, digest) ? blobs.stat(digest) : Optional.empty();
        if (info.isEmpty()) {
            throw new OciException(OciError.BLOB_UNKNOWN, "blob unknown to registry", digest.toString());
        }
        long size = info.get().size();
        long start = 0;
        long end = size - 1;
        int status = 200;
        Optional<String> range = ex.header("Range");
        if (range.isPresent() && ex.method().equals("GET")) {
            Matcher m = RANGE.matcher(range.get().strip());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                if (m.group(1).isEmpty()) { // suffix: the last N bytes
                    start = Math.max(0, size - Long.parseLong(m.group(2)));
                } else {
                    start = Long.parseLong(m.group(1));
                    end = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                }
                if (start >= size || start > end) {
                    ex.header("Content-Range", "bytes */" + size);
                    ex.respondEmpty(416);
                    return;
                }
                status = 206;
                ex.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
            }
        }
        ex.header("Docker-Content-Digest", digest.toString());
        ex.header("Accept-Ranges", "bytes");
        ex.header("ETag", "\"" + digest + "\"");
        Optional<InputStream> in = blobs.open(digest, start);
        if (in.isEmpty()) {
            throw new OciException(OciError.BLOB_UNKNOWN, "blob unknown to registry", digest.toString());
        }
        ex.respondStream(status, "application/octet-stream", size == 0 ? 0 : end - start + 1, in.get());
    }

    static Digest digest(String text) throws OciException {
        if (!Digest.isDigest(text)) {
            throw new OciException(OciError.DIGEST_INVALID, "provided digest is malformed or unsupported", text);
        }
        return Digest.parse(text);
    }

    /** Maps a blob store refusal to its distribution-API error. */
    static OciException refusal(BlobStoreException e) {
        return switch (e) {
            case BlobStoreException.DigestMismatch d ->
                    new OciException(OciError.DIGEST_INVALID, 400, "provided digest did not match uploaded content",
                            e.getMessage());
            case BlobStoreException.TooLarge t ->
                    new OciException(OciError.SIZE_INVALID, 413, "blob too large", e.getMessage());
            case BlobStoreException.SizeMismatch s ->
                    new OciException(OciError.SIZE_INVALID, 400, "provided length did not match content length",
                            e.getMessage());
            case BlobStoreException.UnknownUpload u ->
                    new OciException(OciError.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry", e.getMessage());
            case BlobStoreException.OffsetMismatch o ->
                    new OciException(OciError.BLOB_UPLOAD_INVALID, 416, "chunk out of order", e.getMessage());
        };
    }
}
