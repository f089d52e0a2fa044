package io.bpfstore.store.client;

import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.DigestMismatchException;
import io.bpfstore.store.image.FetchPurpose;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.SemVer;
import io.bpfstore.store.image.ImageManifest;
import io.bpfstore.store.image.MediaTypes;
import io.bpfstore.store.layout.OciLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI distribution-spec client for one registry.
 *
 * <pre>{@code
 * RegistryClient client = new RegistryClient(URI.create("http://127.0.0.1:5000"), Optional.of(credentials));
 * client.push(image, "examples/xdp-counter", "1.2.0", PushOptions.DEFAULT);
 * client.pull("examples/xdp-counter", "1.2.0", Path.of("out"));      // verified OCI layout
 * }</pre>
 */
public final class RegistryClient {
    /** Largest manifest accepted from a registry (the distribution spec suggests 4 MiB). */
    public static final int MAX_MANIFEST = 4 << 20;
    private static final String ACCEPT = MediaTypes.MANIFEST + ", " + MediaTypes.DOCKER_MANIFEST;

    private final URI base;
    private final Authenticator auth;
    private final ProgressBar progress;
    private final FetchPurpose purpose;

    /**
     * A client for the registry at {@code base} (e.g. {@code http://127.0.0.1:5000}); its pulls say they are
     * pulls ({@link #withPurpose} for others).
     */
    public RegistryClient(URI base, Optional<Credentials> credentials, ProgressBar progress) {
        this(base, new Authenticator(Authenticator.defaultClient(), credentials), progress, FetchPurpose.PULL);
    }

    private RegistryClient(URI base, Authenticator auth, ProgressBar progress, FetchPurpose purpose) {
        this.base = base;
        this.auth = auth;
        this.progress = progress;
        this.purpose = purpose;
    }

    /**
     * This client (same credentials and tokens) telling the registry that its {@link #pull}s are for
     * {@code purpose}: only pulls and installs count as downloads. {@link #manifest} never counts.
     */
    public RegistryClient withPurpose(FetchPurpose purpose) {
        return new RegistryClient(base, auth, progress, purpose);
    }

    /** A client without a progress bar. */
    public RegistryClient(URI base, Optional<Credentials> credentials) {
        this(base, credentials, ProgressBar.silent());
    }

    /** The registry's base URL. */
    public URI base() {
        return base;
    }

    /**
     * Checks that the registry speaks the distribution API ({@code GET /v2/}) and, with credentials, that it
     * accepts them for {@code scope} (empty: the registry as a whole).
     */
    public void ping(String scope) {
        HttpResponse<InputStream> r = auth.send("contact registry " + base, scope,
                a -> get(uri("/v2/"), a, "application/json"));
        if (r.statusCode() != 200) {
            throw Authenticator.error("contact registry " + base, r);
        }
        Authenticator.close(r);
    }

    /** Response header of bpfstore's registry: the largest blob it accepts, in bytes. */
    public static final String MAX_BLOB_HEADER = "Bpfstore-Max-Blob-Size";
    /** Response header of bpfstore's registry: the largest manifest it accepts, in bytes. */
    public static final String MAX_MANIFEST_HEADER = "Bpfstore-Max-Manifest-Size";

    /**
     * Refuses, before a byte of it is sent, an image with a blob or a manifest over the sizes the registry states
     * on its {@code /v2/} answer ({@link #MAX_BLOB_HEADER}, {@link #MAX_MANIFEST_HEADER}); a registry that states
     * none (any other OCI registry) is not asked again and judges the upload itself.
     */
    private void requireWithinLimits(Image image, String repository, String tag, String scope) {
        String action = "push " + repository + ":" + tag;
        HttpResponse<InputStream> r = auth.send(action, scope, a -> get(uri("/v2/"), a, "application/json"));
        Optional<Long> maxBlob = r.headers().firstValue(MAX_BLOB_HEADER).flatMap(RegistryClient::size);
        Optional<Long> maxManifest = r.headers().firstValue(MAX_MANIFEST_HEADER).flatMap(RegistryClient::size);
        Authenticator.close(r);
        for (Map.Entry<Descriptor, byte[]> e : image.orderedBlobs().entrySet()) {
            if (maxBlob.isPresent() && e.getValue().length > maxBlob.get()) {
                throw new RegistryException(action, 413, "SIZE_INVALID", "blob " + e.getKey().digest() + " ("
                        + e.getKey().mediaType() + ") is " + e.getValue().length + " bytes, over the registry's limit of "
                        + maxBlob.get() + " bytes; nothing was uploaded");
            }
        }
        if (maxManifest.isPresent() && image.manifestBytes().length > maxManifest.get()) {
            throw new RegistryException(action, 413, "SIZE_INVALID", "the manifest is " + image.manifestBytes().length
                    + " bytes, over the registry's limit of " + maxManifest.get() + " bytes; nothing was uploaded");
        }
    }

    private static Optional<Long> size(String header) {
        try {
            long n = Long.parseLong(header.strip());
            return n > 0 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();  // not a limit we can use: the registry still enforces its own
        }
    }

    /** Pushes {@code image} to {@code repository} and tags it {@code tag}; blobs the registry has are skipped. */
    public PushResult push(Image image, String repository, String tag, PushOptions options) {
        String scope = "repository:" + repository + ":pull,push";
        requireWithinLimits(image, repository, tag, scope);
        int uploaded = 0;
        int skipped = 0;
        int mounted = 0;
        for (Map.Entry<Descriptor, byte[]> e : image.orderedBlobs().entrySet()) {
            Descriptor d = e.getKey();
            if (exists(repository, d.digest(), scope)) {
                skipped++;
                continue;
            }
            Optional<URI> location;
            if (options.mountFrom().isPresent()) {
                location = mount(repository, d.digest(), options.mountFrom().get(), scope);
                if (location.isEmpty()) {
                    mounted++;
                    continue;
                }
            } else {
                location = Optional.of(startUpload(repository, scope));
            }
            upload(repository, location.get(), d, e.getValue(), options.chunkSize(), scope);
            uploaded++;
        }
        String action = "push manifest " + repository + ":" + tag;
        HttpResponse<InputStream> r = auth.send(action, scope, a -> request(uri("/v2/" + repository + "/manifests/"
                + tag), a).header("Content-Type", image.manifest().mediaType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(image.manifestBytes())).build());
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw Authenticator.error(action, r);
        }
        Optional<String> echoed = r.headers().firstValue("Docker-Content-Digest");
        Authenticator.close(r);
        if (echoed.isPresent() && !echoed.get().equals(image.digest().toString())) {
            throw new RegistryException(action, r.statusCode(), "DIGEST_INVALID", "the registry stored the manifest as "
                    + echoed.get() + ", we sent " + image.digest());
        }
        return new PushResult(repository, tag, image.digest(), uploaded, skipped, mounted);
    }

    private boolean exists(String repository, Digest digest, String scope) {
        String action = "check blob " + digest + " in " + repository;
        HttpResponse<InputStream> r = auth.send(action, scope, a -> request(uri("/v2/" + repository + "/blobs/"
                + digest), a).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        return switch (r.statusCode()) {
            case 200 -> {
                Authenticator.close(r);
                yield true;
            }
            case 404 -> {
                Authenticator.close(r);
                yield false;
            }
            default -> throw Authenticator.error(action, r);
        };
    }

    /** Mounts a blob; empty when mounted, else the upload location the registry gave instead. */
    private Optional<URI> mount(String repository, Digest digest, String from, String scope) {
        String action = "mount blob " + digest + " from " + from + " into " + repository;
        String mountScope = scope + " repository:" + from + ":pull";
        HttpResponse<InputStream> r = auth.send(action, mountScope, a -> request(uri("/v2/" + repository
                + "/blobs/uploads/?mount=" + digest + "&from=" + Authenticator.encode(from)), a)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        return switch (r.statusCode()) {
            case 201 -> {
                Authenticator.close(r);
                yield Optional.empty();
            }
            case 202 -> {
                Authenticator.close(r);
                yield Optional.of(location(action, r));
            }
            default -> throw Authenticator.error(action, r);
        };
    }

    private URI startUpload(String repository, String scope) {
        String action = "start upload to " + repository;
        HttpResponse<InputStream> r = auth.send(action, scope, a -> request(uri("/v2/" + repository
                + "/blobs/uploads/"), a).POST(HttpRequest.BodyPublishers.noBody()).build());
        if (r.statusCode() != 202) {
            throw Authenticator.error(action, r);
        }
        Authenticator.close(r);
        return location(action, r);
    }

    private void upload(String repository, URI location, Descriptor d, byte[] content, long chunkSize, String scope) {
        String action = "upload blob " + d.digest() + " to " + repository;
        progress.start("push " + d.digest().hex().substring(0, 12), content.length);
        URI at = location;
        if (chunkSize > 0) {
            for (int start = 0; start < content.length; ) {
                int end = (int) Math.min(content.length, start + chunkSize);
                byte[] chunk = Arrays.copyOfRange(content, start, end);
                URI target = at;
                String range = start + "-" + (end - 1);
                HttpResponse<InputStream> r = auth.send(action, scope, a -> request(target, a)
                        .header("Content-Type", "application/octet-stream").header("Content-Range", range)
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk)).build());
                if (r.statusCode() != 202) {
                    throw Authenticator.error(action + " (chunk " + range + ")", r);
                }
                Authenticator.close(r);
                at = location(action, r);
                progress.advance(end - start);
                start = end;
            }
        }
        URI done = withQuery(at, "digest=" + Authenticator.encode(d.digest().toString()));
        byte[] body = chunkSize > 0 ? new byte[0] : content;
        HttpResponse<InputStream> r = auth.send(action, scope, a -> request(done, a)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        if (r.statusCode() != 201) {
            throw Authenticator.error(action, r);
        }
        Authenticator.close(r);
        if (chunkSize == 0) {
            progress.advance(content.length);
        }
        progress.finish();
    }

    /**
     * Pulls {@code reference} (a tag or {@code sha256:} digest) of {@code repository} into a new OCI layout at
     * {@code out}, tagged {@code refName} (null: the version in the package label, else the digest). Every blob and the manifest are verified before the layout appears;
     * on any failure nothing is left at {@code out}. Returns the manifest's descriptor.
     */
    public Descriptor pull(String repository, String reference, String refName, Path out) throws IOException {
        return pull(repository, reference, refName, out,
                SemVer.isPackageVersion(reference) ? Optional.of(reference) : Optional.empty());
    }

    /**
     * Like {@link #pull(String, String, String, Path)}, and a package's label must name this repository and, when
     * {@code version} is given, that version: a registry whose storage was tampered with cannot serve another
     * package, or an older signed version under a newer tag ({@link SubstitutedPackageException}).
     */
    public Descriptor pull(String repository, String reference, String refName, Path out, Optional<String> version)
            throws IOException {
        return pull(repository, reference, refName, out, version, served -> { });
    }

    /**
     * Like {@link #pull(String, String, String, Path, Optional)}; {@code admit} is shown the version the package's
     * label names, once every digest is verified and before the layout appears, and may refuse it by throwing
     * (the rollback check of {@link io.bpfstore.store.config.PulledVersions}).
     */
    public Descriptor pull(String repository, String reference, String refName, Path out, Optional<String> version,
                           java.util.function.Consumer<String> admit) throws IOException {
        String scope = "repository:" + repository + ":pull";
        String action = "pull manifest " + repository + (Digest.isDigest(reference) ? "@" : ":") + reference;
        HttpResponse<InputStream> r = auth.send(action, scope, a -> manifestGet(repository, reference, a, purpose));
        if (r.statusCode() != 200) {
            throw Authenticator.error(action, r);
        }
        byte[] manifestBytes;
        try (InputStream in = r.body()) {
            manifestBytes = in.readNBytes(MAX_MANIFEST + 1);
        } catch (IOException e) {
            throw new RegistryException(action, "download failed: " + Authenticator.describe(e), e);
        }
        if (manifestBytes.length > MAX_MANIFEST) {
            throw new RegistryException(action, 200, "MANIFEST_INVALID", "manifest larger than " + MAX_MANIFEST
                    + " bytes");
        }
        Digest actual = Digest.of(manifestBytes);
        if (Digest.isDigest(reference) && !actual.equals(Digest.parse(reference))) {
            throw new DigestMismatchException("manifest", Digest.parse(reference), "the registry sent content that "
                    + "hashes to " + actual);
        }
        Optional<String> claimed = r.headers().firstValue("Docker-Content-Digest");
        if (claimed.isPresent() && Digest.isDigest(claimed.get()) && !actual.equals(Digest.parse(claimed.get()))) {
            throw new DigestMismatchException("manifest", Digest.parse(claimed.get()),
                    "the registry sent content that hashes to " + actual);
        }
        ImageManifest manifest = ImageManifest.parse(manifestBytes, "manifest " + actual);
        Descriptor descriptor = new Descriptor(manifest.mediaType(), actual, manifestBytes.length, Map.of());
        Path target = out.toAbsolutePath().normalize();
        Path temp = OciLayout.prepare(target);
        try {
            Path blobs = temp.resolve("blobs/sha256");
            for (Descriptor d : Image.referenced(manifest)) {
                if (!Files.exists(blobs.resolve(d.digest().hex()))) { // layers may share a blob (cosign signatures)
                    download(repository, d, blobs, scope);
                }
            }
            Files.write(blobs.resolve(actual.hex()), manifestBytes);
            PackageIdentity.require(Files.readAllBytes(blobs.resolve(manifest.config().digest().hex())), repository,
                    version).ifPresent(admit);
            String name = refName != null ? refName : versionLabel(blobs.resolve(manifest.config().digest().hex()))
                    .orElse(actual.toString());
            OciLayout.writeIndex(temp, descriptor, name);
            OciLayout.commit(temp, target);
        } catch (IOException | RuntimeException e) {
            OciLayout.deleteTree(temp);
            throw e;
        }
        return descriptor;
    }

    /** The tags of {@code repository} ({@code GET /v2/<name>/tags/list}), at most the first 1000. */
    public java.util.List<String> tags(String repository) {
        return tags(repository, Optional.empty()).tags();
    }

    /**
     * The result of a conditional tag list.
     *
     * @param tags the tags (empty when {@code unchanged})
     * @param etag the registry's validator for this list, when it sends one
     * @param unchanged whether the registry answered {@code 304 Not Modified} to the validator given
     */
    public record Tags(java.util.List<String> tags, Optional<String> etag, boolean unchanged) {
        /** Copies. */
        public Tags {
            tags = java.util.List.copyOf(tags);
        }
    }

    /**
     * The tags of {@code repository} if they changed since the list whose {@code ETag} was {@code etag}
     * ({@code If-None-Match}): a registry that keeps validators answers an unchanged list with an empty
     * {@code 304}; one that does not answers in full, as {@link #tags} does.
     */
    public Tags tags(String repository, Optional<String> etag) {
        String action = "list tags of " + repository;
        HttpResponse<InputStream> r = auth.send(action, "repository:" + repository + ":pull",
                a -> {
                    HttpRequest.Builder b = request(uri("/v2/" + repository + "/tags/list?n=1000"), a)
                            .header("Accept", "application/json");
                    etag.ifPresent(e -> b.header("If-None-Match", e));
                    return b.GET().build();
                });
        Optional<String> validator = r.headers().firstValue("ETag");
        if (r.statusCode() == 304) {
            try {
                r.body().close();
            } catch (IOException ignored) {
                // an empty body
            }
            return new Tags(java.util.List.of(), validator.or(() -> etag), true);
        }
        if (r.statusCode() != 200) {
            throw Authenticator.error(action, r);
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        Authenticator.json(action, r).path("tags").forEach(t -> out.add(t.asText()));
        return new Tags(out, validator, false);
    }

    /**
     * The bytes of the manifest {@code reference} (tag or digest; a digest is verified). Reading a manifest is not a
     * download: the registry is told {@link FetchPurpose#RESOLVE}.
     */
    public byte[] manifest(String repository, String reference) {
        String scope = "repository:" + repository + ":pull";
        String action = "get manifest " + repository + ":" + reference;
        HttpResponse<InputStream> r = auth.send(action, scope, a -> manifestGet(repository, reference, a,
                FetchPurpose.RESOLVE));
        if (r.statusCode() != 200) {
            throw Authenticator.error(action, r);
        }
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(MAX_MANIFEST + 1);
            if (bytes.length > MAX_MANIFEST) {
                throw new RegistryException(action, 200, "MANIFEST_INVALID", "manifest too large");
            }
            if (Digest.isDigest(reference)) {
                Digest.parse(reference).verify("manifest", bytes, bytes.length);
            }
            return bytes;
        } catch (IOException e) {
            throw new RegistryException(action, "download failed: " + Authenticator.describe(e), e);
        }
    }

    /** The version in a config's {@code io.bpfstore.package} label, if it has one. */
    private static Optional<String> versionLabel(Path config) throws IOException {
        com.fasterxml.jackson.databind.JsonNode labels = ImageManifest.json(Files.readAllBytes(config), "config")
                .path("config").path("Labels");
        String pkg = labels.path("io.bpfstore.package").asText("");
        if (pkg.isEmpty()) {
            return Optional.empty();
        }
        String version = ImageManifest.json(pkg.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "label io.bpfstore.package").path("version").asText("");
        return io.bpfstore.store.image.SemVer.isValid(version) ? Optional.of(version) : Optional.empty();
    }

    private void download(String repository, Descriptor d, Path dir, String scope) throws IOException {
        if (d.size() > OciLayout.MAX_BLOB) {
            throw new RegistryException("pull blob " + d.digest(), 0, "SIZE_INVALID", "descriptor size " + d.size()
                    + " exceeds the " + OciLayout.MAX_BLOB + "-byte limit");
        }
        String action = "pull blob " + d.digest() + " of " + repository;
        HttpResponse<InputStream> r = auth.send(action, scope, a -> get(uri("/v2/" + repository + "/blobs/"
                + d.digest()), a, "*/*"));
        if (r.statusCode() != 200) {
            throw Authenticator.error(action, r);
        }
        Path part = dir.resolve(d.digest().hex() + ".part");
        MessageDigest md = Digest.sha256();
        long total = 0;
        progress.start("pull " + d.digest().hex().substring(0, 12), d.size());
        try (InputStream in = r.body(); OutputStream file = Files.newOutputStream(part)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > d.size()) {
                    throw new DigestMismatchException("blob", d.digest(), "the registry sent more than the "
                            + d.size() + " bytes the manifest says");
                }
                md.update(buffer, 0, n);
                file.write(buffer, 0, n);
                progress.advance(n);
            }
        } catch (IOException e) {
            throw new RegistryException(action, "download broke off after " + total + " of " + d.size() + " bytes: "
                    + Authenticator.describe(e), e);
        }
        if (total != d.size()) {
            throw new DigestMismatchException("blob", d.digest(), "download is " + total + " bytes, the manifest says "
                    + d.size() + " (truncated)");
        }
        Digest actual = new Digest(HexFormat.of().formatHex(md.digest()));
        if (!actual.equals(d.digest())) {
            throw new DigestMismatchException("blob", d.digest(), "the registry sent content that hashes to " + actual);
        }
        progress.finish();
        Files.move(part, dir.resolve(d.digest().hex()));
    }

    private URI location(String action, HttpResponse<InputStream> r) {
        String loc = r.headers().firstValue("Location").orElseThrow(() -> new RegistryException(action,
                r.statusCode(), "BAD_RESPONSE", "no Location header in the registry's answer"));
        try {
            return base.resolve(loc);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(action, r.statusCode(), "BAD_RESPONSE", "Location \"" + loc + "\" is not a URL");
        }
    }

    private static URI withQuery(URI uri, String param) {
        String s = uri.toString();
        return URI.create(s + (uri.getRawQuery() == null ? "?" : "&") + param);
    }

    private URI uri(String path) {
        return base.resolve(path);
    }

    private static HttpRequest.Builder request(URI uri, Optional<String> authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5));
        authorization.ifPresent(a -> b.header("Authorization", a));
        return b;
    }

    private HttpRequest manifestGet(String repository, String reference, Optional<String> authorization,
                                    FetchPurpose why) {
        return request(uri("/v2/" + repository + "/manifests/" + reference), authorization).header("Accept", ACCEPT)
                .header(FetchPurpose.HEADER, why.value()).GET().build();
    }

    private static HttpRequest get(URI uri, Optional<String> authorization, String accept) {
        return request(uri, authorization).header("Accept", accept).GET().build();
    }
}
