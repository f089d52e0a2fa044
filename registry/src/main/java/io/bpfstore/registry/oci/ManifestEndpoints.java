package io.bpfstore.registry.oci;

import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.image.ManifestDocument;
import io.bpfstore.registry.auth.Action;
import io.bpfstore.registry.http.BodyTooLargeException;
import io.bpfstore.registry.http.Exchange;
import io.bpfstore.registry.packages.InvalidPackageException;
import io.bpfstore.registry.packages.PackageLabels;
import io.bpfstore.registry.packages.PackageRelease;
import io.bpfstore.registry.storage.BlobInfo;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.store.image.Digest;
import io.bpfstore.registry.storage.ManifestRecord;
import io.bpfstore.registry.storage.PackageIndex;
import io.bpfstore.registry.storage.ReferenceLock;
import io.bpfstore.registry.storage.PublishedVersionException;
import io.bpfstore.registry.storage.Repositories;
import io.bpfstore.registry.trust.PushChecks;
import io.bpfstore.registry.trust.PushRefusedException;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.FetchPurpose;
import java.util.function.BiConsumer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.concurrent.locks.Lock;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code /v2/<name>/manifests/<reference>}: HEAD, GET, PUT, DELETE by tag or digest. */
final class ManifestEndpoints {
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    /** Configs larger than this are not read for package labels (a package config is a few KiB). */
    private static final int MAX_CONFIG = 1 << 20;

    private final BlobStore blobs;
    private final Repositories repositories;
    private final PackageIndex packages;
    private final PackageLabels labels;
    private final AccessGate gate;
    private final int maxManifestSize;
    private final ReferenceLock references;
    private final Clock clock;
    private final PushChecks checks;
    private final BiConsumer<String, Digest> published;
    private final boolean mutableVersions;
    ManifestEndpoints(BlobStore blobs, Repositories repositories, PackageIndex packages, PackageLabels labels,
                      AccessGate gate, int maxManifestSize, ReferenceLock references, Clock clock, PushChecks checks,
                      BiConsumer<String, Digest> published, boolean mutableVersions) {
        this.mutableVersions = mutableVersions;
        this.checks = checks;
        this.published = published;
        this.blobs = blobs;
        this.references = references;
        this.repositories = repositories;
        this.packages = packages;
        this.labels = labels;
        this.gate = gate;
        this.maxManifestSize = maxManifestSize;
        this.clock = clock;
    }

    void handle(Exchange ex, String repo, String reference) throws OciException, IOException {
        switch (ex.method()) {
            case "GET", "HEAD" -> get(ex, repo, reference);
            case "PUT" -> put(ex, repo, reference);
            case "DELETE" -> delete(ex, repo, reference);
            default -> throw Distribution.methodNotAllowed(ex, "GET, HEAD, PUT, DELETE");
        }
    }

    private void get(Exchange ex, String repo, String reference) throws OciException {
        gate.require(ex, repo, Action.PULL);
        Optional<ManifestRecord> found;
        if (reference.contains(":")) {
            found = repositories.manifest(repo, BlobEndpoints.digest(reference));
        } else {
            found = TAG.matcher(reference).matches() ? repositories.taggedManifest(repo, reference) : Optional.empty();
        }
        if (found.isEmpty()) {
            if (!repositories.exists(repo)) {
                throw new OciException(OciError.NAME_UNKNOWN, "repository name not known to registry", repo);
            }
            throw new OciException(OciError.MANIFEST_UNKNOWN, "manifest unknown to registry", reference);
        }
        ManifestRecord m = found.get();
        ex.header("Docker-Content-Digest", m.digest().toString());
        ex.header("ETag", "\"" + m.digest() + "\"");
        // a download is a GET by a pull or an install; bpfstore's verify, check and policy check say otherwise
        if (ex.method().equals("GET") && FetchPurpose.countsAsDownload(ex.header(FetchPurpose.HEADER))) {
            packages.countDownload(repo, m.digest());
        }
        ex.respond(200, m.mediaType(), m.content());
    }

    private void put(Exchange ex, String repo, String reference) throws OciException, IOException {
        gate.require(ex, repo, Action.PUSH);
        boolean byDigest = reference.contains(":");
        if (!byDigest && !TAG.matcher(reference).matches()) {
            throw new OciException(OciError.MANIFEST_INVALID, "manifest invalid: invalid tag " + reference, reference);
        }
        byte[] body;
        try {
            body = ex.readBody(maxManifestSize);
        } catch (BodyTooLargeException e) {
            throw new OciException(OciError.SIZE_INVALID, 413, "manifest too large", e.getMessage());
        }
        Digest digest = Digest.of(body);
        if (byDigest && !BlobEndpoints.digest(reference).equals(digest)) {
            throw new OciException(OciError.DIGEST_INVALID, "provided digest did not match uploaded content",
                    "manifest digest is " + digest + ", not " + reference);
        }
        ManifestDocument doc;
        try {
            doc = ManifestDocument.parse(body, ex.header("Content-Type"), "manifest");
        } catch (InvalidImageException e) {
            throw new OciException(OciError.MANIFEST_INVALID, "manifest invalid: " + e.getMessage(), e.getMessage());
        }
        // Checking that the named blobs exist and storing the manifest must not interleave with a collection.
        Optional<PackageRelease> release = Optional.empty();
        Lock push = references.push();
        push.lock();
        try {
            for (Descriptor d : doc.blobs()) {
                Optional<BlobInfo> stored = repositories.isBlobLinked(repo, d.digest())
                        ? blobs.stat(d.digest()) : Optional.empty();
                if (stored.isEmpty()) {
                    throw new OciException(OciError.MANIFEST_BLOB_UNKNOWN, "blob unknown to registry",
                            d.digest().toString());
                }
                if (stored.get().size() != d.size()) {
                    String problem = "descriptor of " + d.digest() + " says " + d.size() + " bytes, the blob has "
                            + stored.get().size();
                    throw new OciException(OciError.MANIFEST_INVALID, "manifest invalid: " + problem, problem);
                }
            }
            for (Descriptor d : doc.manifests()) {
                if (repositories.manifest(repo, d.digest()).isEmpty()) {
                    throw new OciException(OciError.MANIFEST_BLOB_UNKNOWN, "manifest unknown to registry",
                            d.digest().toString());
                }
            }
            Optional<String> tag = byDigest ? Optional.empty() : Optional.of(reference);
            try {
                checks.check(repo, tag, body, doc);
            } catch (PushRefusedException e) {
                // the reason goes into the message: docker, skopeo and bpfstore show the message, not the detail
                throw new OciException(e.denied() ? OciError.DENIED : OciError.MANIFEST_INVALID, e.getMessage(),
                        repo + ":" + reference);
            }
            if (tag.isPresent() && doc.config().isPresent()) {
                release = release(repo, tag.get(), digest, doc.config().get());
            }
            ManifestRecord record = new ManifestRecord(repo, digest, doc.mediaType(), body,
                    doc.subject().map(Descriptor::digest), doc.artifactType(), clock.instant());
            try {
                repositories.putManifest(record, tag, release, !mutableVersions);
            } catch (PublishedVersionException e) {
                throw refusedReplacement(release.orElseThrow(), e);
            }
        } finally {
            push.unlock();
        }
        if (release.isPresent()) {
            published.accept(repo, digest); // the web UI's analysis starts now, off this thread
        }
        doc.subject().ifPresent(s -> ex.header("OCI-Subject", s.digest().toString()));
        ex.header("Location", "/v2/" + repo + "/manifests/" + digest);
        ex.header("Docker-Content-Digest", digest.toString());
        ex.respondEmpty(201);
    }

    /**
     * The refusal of a push that would replace a published version with other content: installs and signatures
     * name versions, and a version must mean one object forever (the store checks it in the push's transaction).
     */
    private static OciException refusedReplacement(PackageRelease r, PublishedVersionException e) {
        String full = r.namespace() + "/" + r.name();
        return new OciException(OciError.DENIED, 409, e.getMessage() + "; published versions are immutable: yank it"
                + " (bpfstore yank " + full + "@" + r.version() + ") and publish a new version instead",
                full + ":" + r.version());
    }

    private Optional<PackageRelease> release(String repo, String tag, Digest digest, Descriptor config)
            throws OciException, IOException {
        if (config.size() > MAX_CONFIG) {
            return Optional.empty();
        }
        Optional<InputStream> in = blobs.open(config.digest(), 0);
        if (in.isEmpty()) {
            throw new OciException(OciError.MANIFEST_BLOB_UNKNOWN, "blob unknown to registry",
                    config.digest().toString());
        }
        byte[] bytes;
        try (InputStream s = in.get()) {
            bytes = s.readNBytes(MAX_CONFIG);
        }
        try {
            return labels.read(bytes, repo, tag, digest.toString());
        } catch (InvalidPackageException e) {
            throw new OciException(OciError.MANIFEST_INVALID, "manifest invalid: " + e.getMessage(), e.getMessage());
        }
    }

    private void delete(Exchange ex, String repo, String reference) throws OciException {
        gate.require(ex, repo, Action.DELETE);
        boolean deleted;
        if (reference.contains(":")) {
            deleted = repositories.deleteManifest(repo, BlobEndpoints.digest(reference));
        } else {
            deleted = TAG.matcher(reference).matches() && repositories.deleteTag(repo, reference);
        }
        if (!deleted) {
            throw new OciException(OciError.MANIFEST_UNKNOWN, "manifest unknown to registry", reference);
        }
        ex.respondEmpty(202);
    }
}
