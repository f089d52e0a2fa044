package io.bpfstore.registry.storage.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.registry.storage.BlobInfo;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.BlobStoreException;
import io.bpfstore.registry.storage.BlobStoreUnavailableException;
import io.bpfstore.registry.storage.CorruptBlobException;
import io.bpfstore.registry.storage.StagedUpload;
import io.bpfstore.registry.storage.Staged;
import io.bpfstore.registry.storage.StoredBlob;
import io.bpfstore.store.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link BlobStore} in one repository of an OCI distribution registry.
 *
 * <ul>
 *   <li>A blob is written through the backend's own upload session and committed by it with the digest, which
 *       the backend verifies; we hash the bytes on the way too.</li>
 *   <li>A staged upload is a backend upload session: its URL (which changes with every chunk) is the staging
 *       state the registry keeps in its upload session, so no instance keeps upload state of its own.</li>
 *   <li>Every blob is anchored by a small manifest tagged {@code <hex>.<size>.<epoch seconds>} that lists it as its
 *       only layer. The anchors are the blob list for garbage collection (the distribution API has no global blob
 *       list; the tags list is it) and keep the backend's own garbage collector from removing blobs no backend
 *       manifest would otherwise reference. A re-upload adds a newer tag, which renews the blob.</li>
 *   <li>Every byte read back is checked against its digest ({@link VerifyingStream}): blobs up to
 *       {@link #VERIFY_BEFORE_SENDING} bytes before the first byte is returned, larger ones with the last block
 *       held back until the digest is proved.</li>
 * </ul>
 */
public final class OciBlobStore implements BlobStore {
    /** Blobs up to this size are read whole and verified before any byte is returned. */
    public static final int VERIFY_BEFORE_SENDING = 1 << 20;
    private static final System.Logger LOG = System.getLogger(OciBlobStore.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
    private static final Digest EMPTY_DIGEST = Digest.of(EMPTY_CONFIG);
    private static final String EMPTY_TYPE = "application/vnd.oci.empty.v1+json";
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final Pattern ANCHOR = Pattern.compile("([0-9a-f]{64})\\.(\\d{1,19})\\.(\\d{1,19})");
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final OciBlobLocation location;
    private final BackendClient backend;
    private final long maxBlobSize;
    private final Clock clock;

    private OciBlobStore(OciBlobLocation location, long maxBlobSize, Clock clock) {
        this.location = location;
        this.backend = new BackendClient(location);
        this.maxBlobSize = maxBlobSize;
        this.clock = clock;
    }

    /**
     * Connects to the backend and checks it can be written (the empty config every anchor names is stored once).
     *
     * @throws BlobStoreUnavailableException if the backend cannot be reached or refuses us
     */
    public static OciBlobStore open(OciBlobLocation location, long maxBlobSize, Clock clock) throws IOException {
        if (maxBlobSize <= 0) {
            throw new IllegalArgumentException("maximum blob size must be positive: " + maxBlobSize);
        }
        OciBlobStore store = new OciBlobStore(location, maxBlobSize, clock);
        if (store.stat(EMPTY_DIGEST).isEmpty()) {
            try {
                store.upload(EMPTY_DIGEST, new ByteArrayInputStream(EMPTY_CONFIG), EMPTY_CONFIG.length);
            } catch (BlobStoreException e) {
                throw new BlobStoreUnavailableException("blob store " + location + " refused a 2-byte blob: "
                        + e.getMessage(), e);
            }
        }
        return store;
    }

    @Override
    public long maxBlobSize() {
        return maxBlobSize;
    }

    @Override
    public void check() throws IOException {
        if (stat(EMPTY_DIGEST).isEmpty()) {
            throw new BlobStoreUnavailableException("blob store " + location + " lost its anchor config "
                    + EMPTY_DIGEST, null);
        }
    }

    @Override
    public BlobInfo put(Digest expected, InputStream in, long declaredLength) throws IOException, BlobStoreException {
        if (declaredLength > maxBlobSize) {
            throw new BlobStoreException.TooLarge(maxBlobSize);
        }
        BlobInfo info = upload(expected, in, declaredLength);
        anchor(info);
        return info;
    }

    /**
     * Writes a blob through one backend upload session: the bytes go up in one PATCH, hashed on the way, and the
     * session is committed only if they hash to {@code expected} (else cancelled while its state is current, which
     * leaves the backend nothing to purge). The backend checks the digest again at commit.
     */
    private BlobInfo upload(Digest expected, InputStream in, long declaredLength)
            throws IOException, BlobStoreException {
        String action = "store blob " + expected;
        URI session = startSession(action);
        OutgoingBody body = new OutgoingBody(in, maxBlobSize);
        HttpResponse<InputStream> r;
        try {
            r = backend.send(action, "PATCH", session, body.publisher(), "Content-Type", "application/octet-stream");
        } catch (BlobStoreUnavailableException e) {
            throw clientFault(body, session, e);
        }
        if (r.statusCode() != 202) {
            cancel(session);
            throw backend.unexpected(action, r);
        }
        BackendClient.drain(r);
        URI staged = BackendClient.header(r, "Location").map(backend::resolve).orElse(session);
        if (declaredLength >= 0 && body.count() != declaredLength) {
            cancel(staged);
            throw new BlobStoreException.SizeMismatch(declaredLength, body.count());
        }
        Digest actual = body.digest();
        if (!actual.equals(expected)) {
            cancel(staged);
            throw new BlobStoreException.DigestMismatch(expected, actual);
        }
        r = backend.send(action, "PUT", BackendClient.withQuery(staged, "digest", expected.toString()),
                HttpRequest.BodyPublishers.noBody(), "Content-Type", "application/octet-stream");
        if (r.statusCode() != 201) {
            cancel(staged);
            throw backend.unexpected(action, r);
        }
        BackendClient.drain(r);
        return new BlobInfo(expected, body.count());
    }

    @Override
    public Optional<BlobInfo> stat(Digest digest) throws IOException {
        HttpResponse<InputStream> r = backend.send("stat blob " + digest, "HEAD", backend.blob(digest));
        BackendClient.drain(r);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw backend.unexpected("stat blob " + digest, r);
        }
        long size = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (size < 0) {
            throw new BlobStoreUnavailableException("blob store " + location + " gave no size for " + digest, null);
        }
        return Optional.of(new BlobInfo(digest, size));
    }

    @Override
    public Optional<InputStream> open(Digest digest, long offset) throws IOException {
        HttpResponse<InputStream> r = backend.send("read blob " + digest, "GET", backend.blob(digest));
        if (r.statusCode() == 404) {
            BackendClient.drain(r);
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw backend.unexpected("read blob " + digest, r);
        }
        long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        try {
            if (length >= 0 && length <= VERIFY_BEFORE_SENDING) {
                byte[] all = VerifyingStream.readVerified(r.body(), digest, location.toString());
                InputStream in = new ByteArrayInputStream(all);
                in.skipNBytes(Math.min(offset, all.length));
                return Optional.of(in);
            }
            return Optional.of(new VerifyingStream(r.body(), digest, location.toString(), offset));
        } catch (CorruptBlobException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
            throw e;
        }
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        Optional<BlobInfo> info = stat(digest);
        if (info.isEmpty()) {
            return false;
        }
        // The anchor first: should the blob's delete fail, the blob is no longer listed (nor protected from the
        // backend's own collector) rather than listed without bytes.
        Digest anchor = Digest.of(anchorManifest(info.get()));
        HttpResponse<InputStream> m = backend.send("delete anchor of " + digest, "DELETE",
                backend.repo("manifests/" + anchor));
        if (m.statusCode() != 202 && m.statusCode() != 404) {
            throw backend.unexpected("delete anchor of " + digest
                    + " (deletes must be enabled in the backend: storage.delete.enabled)", m);
        }
        BackendClient.drain(m);
        HttpResponse<InputStream> r = backend.send("delete blob " + digest, "DELETE", backend.blob(digest));
        if (r.statusCode() == 404) {
            BackendClient.drain(r);
            return false;
        }
        if (r.statusCode() != 202) {
            throw backend.unexpected("delete blob " + digest, r);
        }
        BackendClient.drain(r);
        return true;
    }

    @Override
    public String startUpload(String uploadId) throws IOException {
        return startSession("start upload " + uploadId).toString();
    }

    @Override
    public Staged appendUpload(String uploadId, String staging, long offset, InputStream in, long declaredLength)
            throws IOException, BlobStoreException {
        if (declaredLength >= 0 && offset + declaredLength > maxBlobSize) {
            throw new BlobStoreException.TooLarge(maxBlobSize);
        }
        URI session = stagingUrl(uploadId, staging);
        OutgoingBody body = new OutgoingBody(in, maxBlobSize - offset);
        HttpResponse<InputStream> r;
        try {
            r = backend.send("append to upload " + uploadId, "PATCH", session, body.publisher(),
                    "Content-Type", "application/octet-stream");
        } catch (BlobStoreUnavailableException e) {
            throw clientFault(body, null, e);
        }
        if (r.statusCode() == 404 || r.statusCode() == 400 || r.statusCode() == 416) {
            // the backend lost or cancelled the session (a chunk cut short, an expired session): it cannot resume
            BackendClient.drain(r);
            throw new BlobStoreException.UnknownUpload(uploadId);
        }
        if (r.statusCode() != 202) {
            throw backend.unexpected("append to upload " + uploadId, r);
        }
        BackendClient.drain(r);
        long end = offset + body.count();
        long backendEnd = BackendClient.header(r, "Range").map(OciBlobStore::rangeEnd).orElse(end);
        if (backendEnd != end && !(backendEnd == 1 && end == 0)) { // "0-0" is both empty and one byte
            throw new BlobStoreException.OffsetMismatch(backendEnd, end);
        }
        if (declaredLength >= 0 && body.count() != declaredLength) {
            throw new BlobStoreException.SizeMismatch(declaredLength, body.count());
        }
        String next = BackendClient.header(r, "Location").map(l -> backend.resolve(l).toString()).orElse(staging);
        return new Staged(end, next);
    }

    @Override
    public BlobInfo commitUpload(String uploadId, String staging, long length, Digest expected)
            throws IOException, BlobStoreException {
        URI session = stagingUrl(uploadId, staging);
        HttpResponse<InputStream> r = backend.send("commit upload " + uploadId, "PUT",
                BackendClient.withQuery(session, "digest", expected.toString()),
                HttpRequest.BodyPublishers.noBody(), "Content-Type", "application/octet-stream");
        if (r.statusCode() == 400) {
            String code = BackendClient.errorCode(BackendClient.drain(r), 400);
            cancel(session);
            if (code.equals("DIGEST_INVALID")) {
                throw new BlobStoreException.DigestMismatch(expected, "the staged " + length + " bytes");
            }
            throw new BlobStoreException.UnknownUpload(uploadId);
        }
        if (r.statusCode() == 404) {
            BackendClient.drain(r);
            throw new BlobStoreException.UnknownUpload(uploadId);
        }
        if (r.statusCode() != 201) {
            throw backend.unexpected("commit upload " + uploadId, r);
        }
        BackendClient.drain(r);
        BlobInfo info = stat(expected).orElseThrow(() -> new BlobStoreUnavailableException("blob store " + location
                + " committed " + expected + " but does not have it", null));
        if (info.size() != length) {
            throw new CorruptBlobException(location.toString(), expected, "it holds " + info.size()
                    + " bytes where " + length + " were staged");
        }
        anchor(info);
        return info;
    }

    @Override
    public void abortUpload(String uploadId, String staging) throws IOException {
        if (staging.isEmpty()) {
            return;
        }
        try {
            cancel(stagingUrl(uploadId, staging));
        } catch (BlobStoreException.UnknownUpload notOurs) {
            // not a URL of the backend: nothing of ours to cancel
        }
    }

    /**
     * Every anchored blob, newest anchor first wins. Blobs without an anchor (a crash between commit and anchor)
     * are not listed: the backend's own garbage collector removes them, as nothing references them.
     */
    @Override
    public List<StoredBlob> list() throws IOException {
        Map<Digest, StoredBlob> blobs = new HashMap<>();
        URI page = backend.repo("tags/list?n=1000");
        while (page != null) {
            HttpResponse<InputStream> r = backend.send("list blobs", "GET", page);
            if (r.statusCode() == 404) { // no tag yet: the repository does not exist for the backend
                BackendClient.drain(r);
                break;
            }
            if (r.statusCode() != 200) {
                throw backend.unexpected("list blobs", r);
            }
            JsonNode tags;
            try (InputStream in = r.body()) {
                tags = JSON.readTree(in).path("tags");
            }
            for (JsonNode tag : tags) {
                Matcher m = ANCHOR.matcher(tag.asText());
                if (!m.matches()) {
                    continue; // not ours: never collect what we did not write
                }
                StoredBlob b = new StoredBlob(Digest.parse("sha256:" + m.group(1)), Long.parseLong(m.group(2)),
                        java.time.Instant.ofEpochSecond(Long.parseLong(m.group(3))));
                blobs.merge(b.digest(), b, (x, y) -> x.storedAt().isAfter(y.storedAt()) ? x : y);
            }
            page = BackendClient.header(r, "Link").map(NEXT::matcher).filter(Matcher::find)
                    .map(m -> backend.resolve(m.group(1))).orElse(null);
        }
        return new ArrayList<>(blobs.values());
    }

    /** None: the backend purges its own abandoned upload sessions (distribution's {@code uploadpurging}). */
    @Override
    public List<StagedUpload> stagedUploads() {
        return List.of();
    }

    private URI startSession(String action) throws IOException {
        HttpResponse<InputStream> r = backend.send(action, "POST", backend.repo("blobs/uploads/"));
        BackendClient.drain(r);
        if (r.statusCode() != 202) {
            throw backend.unexpected(action, r);
        }
        return backend.resolve(BackendClient.header(r, "Location").orElseThrow(() ->
                new BlobStoreUnavailableException("blob store " + location + " gave no upload location", null)));
    }

    private void cancel(URI session) {
        try {
            BackendClient.drain(backend.send("cancel upload", "DELETE", session));
        } catch (IOException e) {
            // the backend purges abandoned sessions itself
        }
    }

    /** Tags the blob's anchor manifest with its size and now: it is listed, renewed, and safe from backend GC. */
    private void anchor(BlobInfo info) throws IOException {
        String tag = info.digest().hex() + "." + info.size() + "." + clock.instant().getEpochSecond();
        HttpResponse<InputStream> r = backend.send("anchor blob " + info.digest(), "PUT",
                backend.repo("manifests/" + tag), HttpRequest.BodyPublishers.ofByteArray(anchorManifest(info)),
                "Content-Type", MANIFEST_TYPE);
        if (r.statusCode() != 201) {
            throw backend.unexpected("anchor blob " + info.digest(), r);
        }
        BackendClient.drain(r);
    }

    /** The anchor manifest of a blob: the same bytes for the same blob, so its digest can be recomputed. */
    private static byte[] anchorManifest(BlobInfo info) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":\""
                + EMPTY_TYPE + "\",\"digest\":\"" + EMPTY_DIGEST + "\",\"size\":" + EMPTY_CONFIG.length
                + "},\"layers\":[{\"mediaType\":\"application/octet-stream\",\"digest\":\"" + info.digest()
                + "\",\"size\":" + info.size() + "}],\"annotations\":{\"io.bpfstore.blob-anchor\":\"true\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The staging URL, which must be on the backend (it came from the metadata store, not from a client). */
    private URI stagingUrl(String uploadId, String staging) throws BlobStoreException.UnknownUpload {
        URI uri;
        try {
            uri = URI.create(staging);
        } catch (IllegalArgumentException e) {
            throw new BlobStoreException.UnknownUpload(uploadId);
        }
        if (staging.isEmpty() || !location.registry().getScheme().equals(uri.getScheme())
                || !location.registry().getRawAuthority().equals(uri.getRawAuthority())) {
            throw new BlobStoreException.UnknownUpload(uploadId);
        }
        return uri;
    }

    /** The failure to report when a request with a client's body failed: the client's, if it was theirs. */
    private IOException clientFault(OutgoingBody body, URI session, BlobStoreUnavailableException e)
            throws BlobStoreException, IOException {
        if (session != null) {
            cancel(session);
        }
        if (body.overLimit()) {
            throw new BlobStoreException.TooLarge(maxBlobSize);
        }
        if (body.clientFailure() != null) {
            throw body.clientFailure();
        }
        return e;
    }

    /** The end of a {@code Range: 0-N} header: N + 1 bytes. */
    private static long rangeEnd(String range) {
        Matcher m = Pattern.compile("(?:bytes=)?0-(\\d{1,19})").matcher(range.strip());
        return m.matches() ? Long.parseLong(m.group(1)) + 1 : -1;
    }

    @Override
    public String toString() {
        return location.toString();
    }
}
