package io.bpfstore.registry.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.registry.auth.Authenticator;
import io.bpfstore.registry.auth.Caller;
import io.bpfstore.registry.http.Exchange;
import io.bpfstore.registry.packages.PackageLabels;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.ReferenceLock;
import io.bpfstore.registry.limits.AnalysisPool;
import io.bpfstore.registry.limits.RegistryLimits;
import io.bpfstore.registry.trust.PushChecks;
import io.bpfstore.store.image.Digest;
import java.util.function.BiConsumer;
import io.bpfstore.store.image.RepositoryName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Routes {@code /v2/...} requests to the endpoint classes and renders their errors in the spec's envelope. */
public final class Distribution {
    private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Pattern UPLOAD_START = Pattern.compile("/v2/(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
    private static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");

    private final AccessGate gate;
    private final long maxBlobSize;
    private final long maxManifestSize;
    private final BlobEndpoints blobs;
    private final UploadEndpoints uploads;
    private final ManifestEndpoints manifests;
    private final ListingEndpoints listings;
    private final ObjectMapper json;

    /**
     * @param blobStore       blob bytes
     * @param metadata        everything else
     * @param authenticator   who may do what
     * @param maxManifestSize largest manifest accepted, in bytes
     * @param references      shared by manifest pushes against blob collection
     * @param clock           time stamps
     * @param limits          caps on unfinished uploads
     * @param analysis        where the push checks analyse objects (never on the request thread)
     * @param published       told of each package version stored, to start its analysis for the web UI
     * @param mutableVersions if true, a published package version may be pushed again with other content
     */
    public Distribution(BlobStore blobStore, MetadataStore metadata, Authenticator authenticator,
                        int maxManifestSize, ReferenceLock references, Clock clock, RegistryLimits limits,
                        AnalysisPool analysis,
                        BiConsumer<String, Digest> published, boolean mutableVersions) {
        this.json = new ObjectMapper();
        this.gate = new AccessGate(authenticator);
        this.blobs = new BlobEndpoints(blobStore, metadata.repositories(), gate);
        this.maxBlobSize = blobStore.maxBlobSize();
        this.maxManifestSize = maxManifestSize;
        this.uploads = new UploadEndpoints(blobStore, metadata.repositories(), metadata.uploads(), gate, clock,
                new UploadQuota(metadata.uploads(), metadata.accounts(), limits, clock));
        this.manifests = new ManifestEndpoints(blobStore, metadata.repositories(), metadata.packages(),
                new PackageLabels(), gate, maxManifestSize, references, clock,
                new PushChecks(blobStore, metadata.repositories(), metadata.accounts(), analysis), published,
                mutableVersions);
        this.listings = new ListingEndpoints(metadata.repositories(), gate, json);
    }

    /** Answers one request whose path starts with {@code /v2}. */
    public void handle(Exchange ex) throws IOException {
        ex.header("Docker-Distribution-API-Version", "registry/2.0");
        // the size limits, on every answer (a 401 too), so a client refuses an oversized push before sending it
        ex.header(io.bpfstore.store.client.RegistryClient.MAX_BLOB_HEADER, Long.toString(maxBlobSize));
        ex.header(io.bpfstore.store.client.RegistryClient.MAX_MANIFEST_HEADER, Long.toString(maxManifestSize));
        try {
            route(ex);
        } catch (OciException e) {
            if (!ex.isCompleted()) {
                for (Map.Entry<String, String> h : e.headers().entrySet()) {
                    ex.header(h.getKey(), h.getValue());
                }
                ObjectNode body = json.createObjectNode();
                ObjectNode error = body.putArray("errors").addObject();
                error.put("code", e.code().name());
                error.put("message", e.getMessage());
                if (e.detail() != null) {
                    error.put("detail", e.detail());
                }
                ex.respond(e.status(), "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void route(Exchange ex) throws OciException, IOException {
        String path = ex.rawPath();
        if (path.equals("/v2") || path.equals("/v2/")) {
            base(ex);
            return;
        }
        if (path.equals("/v2/_catalog")) {
            listings.catalog(ex);
            return;
        }
        Matcher m;
        if ((m = TAGS.matcher(path)).matches()) {
            listings.tags(ex, repository(m.group(1)));
        } else if ((m = MANIFEST.matcher(path)).matches()) {
            manifests.handle(ex, repository(m.group(1)), decode(m.group(2)));
        } else if ((m = UPLOAD_START.matcher(path)).matches()) {
            uploads.start(ex, repository(m.group(1)));
        } else if ((m = UPLOAD.matcher(path)).matches()) {
            uploads.session(ex, repository(m.group(1)), decode(m.group(2)));
        } else if ((m = BLOB.matcher(path)).matches()) {
            blobs.handle(ex, repository(m.group(1)), decode(m.group(2)));
        } else if ((m = REFERRERS.matcher(path)).matches()) {
            listings.referrers(ex, repository(m.group(1)), decode(m.group(2)));
        } else {
            throw new OciException(OciError.UNSUPPORTED, 404, "no such endpoint", path);
        }
    }

    private void base(Exchange ex) throws OciException {
        Caller caller = gate.authenticator().identify(ex.header("Authorization"));
        if (!AccessGate.isAuthenticated(caller)) {
            throw AccessGate.unauthorized(ex, null, caller instanceof Caller.Rejected ? "invalid_token" : null,
                    caller instanceof Caller.Rejected r ? r.reason() : "authentication required");
        }
        ex.respond(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    }

    static OciException methodNotAllowed(Exchange ex, String allowed) {
        return new OciException(OciError.UNSUPPORTED, 405, "method not allowed", ex.method() + " is not one of "
                + allowed).withHeader("Allow", allowed);
    }

    /** {@code name} if it is a repository name as the distribution specification allows, else NAME_INVALID. */
    private static String repository(String name) throws OciException {
        if (!RepositoryName.isRepository(name)) {
            throw new OciException(OciError.NAME_INVALID, "invalid repository name",
                    "repository names are lowercase [a-z0-9] components separated by '/', '.', '_', '__' or '-'");
        }
        return name;
    }

    /** Percent-decodes a path segment (clients may send {@code sha256%3A...}); ids and tags stay as they are. */
    private static String decode(String segment) throws OciException {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new OciException(OciError.NAME_INVALID, "malformed percent-encoding in path", segment);
        }
    }
}
