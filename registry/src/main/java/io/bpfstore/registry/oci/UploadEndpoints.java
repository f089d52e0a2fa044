package io.bpfstore.registry.oci;

import io.bpfstore.registry.auth.Action;
import io.bpfstore.registry.http.Exchange;
import io.bpfstore.registry.storage.BlobInfo;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.BlobStoreException;
import io.bpfstore.store.image.Digest;
import io.bpfstore.registry.storage.Repositories;
import io.bpfstore.registry.storage.Staged;
import io.bpfstore.registry.storage.UploadSession;
import io.bpfstore.registry.storage.UploadSessions;
import io.bpfstore.store.image.RepositoryName;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v2/<name>/blobs/uploads/[<id>]}: start (or finish monolithically, or mount), append chunks, finish
 * with digest verification, query and cancel.
 *
 * <p>Requests on one session are serialised by a lock in this node; across nodes the compare-and-set of the
 * session offset rejects the loser of a race with 416.
 */
final class UploadEndpoints {
    private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes[ =])?(\\d{1,19})-(\\d{1,19})(?:/(?:\\d+|\\*))?");

    private final BlobStore blobs;
    private final Repositories repositories;
    private final UploadSessions uploads;
    private final AccessGate gate;
    private final Clock clock;
    private final UploadQuota quota;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    UploadEndpoints(BlobStore blobs, Repositories repositories, UploadSessions uploads, AccessGate gate, Clock clock,
                    UploadQuota quota) {
        this.quota = quota;
        this.blobs = blobs;
        this.repositories = repositories;
        this.uploads = uploads;
        this.gate = gate;
        this.clock = clock;
    }

    /** POST on {@code uploads/}. */
    void start(Exchange ex, String repo) throws OciException, IOException {
        if (!ex.method().equals("POST")) {
            throw Distribution.methodNotAllowed(ex, "POST");
        }
        gate.require(ex, repo, Action.PUSH);
        Optional<String> mount = ex.query("mount");
        Optional<String> from = ex.query("from");
        if (mount.isPresent() && from.isPresent() && Digest.isDigest(mount.get())
                && RepositoryName.isRepository(from.get()) && gate.permits(ex, from.get(), Action.PULL)) {
            Digest digest = Digest.parse(mount.get());
            if (repositories.isBlobLinked(from.get(), digest) && blobs.stat(digest).isPresent()) {
                repositories.linkBlob(repo, digest);
                created(ex, repo, digest);
                return;
            }
        }
        Optional<String> single = ex.query("digest");
        if (single.isPresent()) {
            Digest digest = BlobEndpoints.digest(single.get());
            BlobInfo info;
            try {
                info = blobs.put(digest, ex.body(), ex.contentLength());
            } catch (BlobStoreException e) {
                throw BlobEndpoints.refusal(e);
            }
            repositories.linkBlob(repo, info.digest());
            created(ex, repo, digest);
            return;
        }
        quota.requireSession(repo);
        String id = UUID.randomUUID().toString();
        String staging = blobs.startUpload(id);
        uploads.create(new UploadSession(id, repo, 0, clock.instant(), staging));
        progress(ex, repo, id, 0, 202);
    }

    /** Requests on {@code uploads/<id>}. */
    void session(Exchange ex, String repo, String id) throws OciException, IOException {
        gate.require(ex, repo, Action.PUSH); // even the progress of an upload is the uploader's business
        UploadSession session = find(repo, id);
        ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
        lock.lock();
        try {
            session = find(repo, id); // re-read under the lock: another request may have moved it
            switch (ex.method()) {
                case "GET" -> progress(ex, repo, id, session.offset(), 204);
                case "PATCH" -> {
                    long end = append(ex, session).offset();
                    progress(ex, repo, id, end, 202);
                }
                case "PUT" -> finish(ex, session);
                case "DELETE" -> {
                    discard(session);
                    ex.respondEmpty(204);
                }
                default -> throw Distribution.methodNotAllowed(ex, "GET, PATCH, PUT, DELETE");
            }
        } finally {
            lock.unlock();
        }
    }

    /** Appends the request's body; returns the session as it stands afterwards. */
    private UploadSession append(Exchange ex, UploadSession session) throws OciException, IOException {
        long offset = session.offset();
        long declared = ex.contentLength();
        Optional<String> range = ex.header("Content-Range");
        if (range.isPresent()) {
            Matcher m = CONTENT_RANGE.matcher(range.get().strip());
            if (!m.matches()) {
                throw new OciException(OciError.BLOB_UPLOAD_INVALID, "malformed Content-Range", range.get());
            }
            long start;
            long end;
            try {
                start = Long.parseLong(m.group(1));
                end = Long.parseLong(m.group(2));
            } catch (NumberFormatException e) { // 19 digits can exceed a long
                throw new OciException(OciError.BLOB_UPLOAD_INVALID, "Content-Range out of range", range.get());
            }
            if (start != offset || end < start || end == Long.MAX_VALUE) {
                throw outOfOrder(ex, session, "chunk " + start + "-" + end + " does not continue at " + offset);
            }
            if (declared >= 0 && declared != end - start + 1) {
                throw new OciException(OciError.SIZE_INVALID, 400, "Content-Range and Content-Length disagree",
                        range.get() + " vs " + declared);
            }
            declared = end - start + 1;
        }
        long room = quota.room(session.repository());
        if (declared > room) {
            discard(session);
            throw quota.overQuota();
        }
        Staged staged;
        try {
            staged = blobs.appendUpload(session.id(), session.staging(), offset,
                    UploadQuota.bounded(ex.body(), room), declared);
        } catch (UploadQuota.OverQuota e) {
            discard(session);
            throw quota.overQuota();
        } catch (BlobStoreException e) {
            if (e instanceof BlobStoreException.TooLarge || e instanceof BlobStoreException.UnknownUpload) {
                discard(session); // the upload can never complete: drop everything staged
            }
            throw BlobEndpoints.refusal(e);
        }
        if (!uploads.advance(session.id(), offset, staged.end(), staged.staging())) {
            throw outOfOrder(ex, session, "another request appended to this upload");
        }
        return new UploadSession(session.id(), session.repository(), staged.end(), session.startedAt(),
                staged.staging());
    }

    private void finish(Exchange ex, UploadSession session) throws OciException, IOException {
        Optional<String> param = ex.query("digest");
        if (param.isEmpty()) {
            throw new OciException(OciError.DIGEST_INVALID, "digest query parameter is required", null);
        }
        Digest digest = BlobEndpoints.digest(param.get());
        UploadSession last = ex.contentLength() == 0 ? session : append(ex, session);
        BlobInfo info;
        try {
            info = blobs.commitUpload(last.id(), last.staging(), last.offset(), digest);
        } catch (BlobStoreException e) {
            discard(last);
            throw BlobEndpoints.refusal(e);
        }
        uploads.delete(session.id());
        locks.remove(session.id());
        repositories.linkBlob(session.repository(), info.digest());
        created(ex, session.repository(), digest);
    }

    private UploadSession find(String repo, String id) throws OciException {
        return uploads.find(id).filter(s -> s.repository().equals(repo))
                .orElseThrow(() -> new OciException(OciError.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry",
                        id));
    }

    private void discard(UploadSession session) throws IOException {
        uploads.delete(session.id());
        blobs.abortUpload(session.id(), session.staging());
        locks.remove(session.id());
    }

    private static OciException outOfOrder(Exchange ex, UploadSession s, String detail) {
        return new OciException(OciError.BLOB_UPLOAD_INVALID, 416, "chunk out of order", detail)
                .withHeader("Location", location(s.repository(), s.id()))
                .withHeader("Range", range(s.offset()))
                .withHeader("Docker-Upload-UUID", s.id());
    }

    private static void progress(Exchange ex, String repo, String id, long offset, int status) {
        ex.header("Location", location(repo, id));
        ex.header("Range", range(offset));
        ex.header("Docker-Upload-UUID", id);
        ex.respondEmpty(status);
    }

    private static void created(Exchange ex, String repo, Digest digest) {
        ex.header("Location", "/v2/" + repo + "/blobs/" + digest);
        ex.header("Docker-Content-Digest", digest.toString());
        ex.respondEmpty(201);
    }

    private static String location(String repo, String id) {
        return "/v2/" + repo + "/blobs/uploads/" + id;
    }

    /** The Range header of an upload: {@code 0-<last byte>} ({@code 0-0} when empty, as the reference does). */
    private static String range(long offset) {
        return "0-" + Math.max(0, offset - 1);
    }
}
