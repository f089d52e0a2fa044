package io.bpfstore.registry.index;

import io.bpfstore.registry.index.IndexReport.Outcome;
import io.bpfstore.registry.packages.InvalidPackageException;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.BlobStoreException;
import io.bpfstore.registry.storage.IndexedImage;
import io.bpfstore.registry.storage.IndexedOrigins;
import io.bpfstore.registry.storage.ManifestRecord;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.image.ManifestDocument;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Indexes an origin: for every version tag of its repositories (or of the one named), copies the manifest and
 * its blobs into this registry, each blob verified against its digest by the blob store as it is written, and
 * indexes the version as a push would (search, package page, analysis). A tag whose digest is the one recorded
 * last time is skipped without fetching anything: re-indexing costs one manifest request per tag.
 *
 * <p>bpfstore packages keep their namespace and name (clients check the package label against what they asked
 * for); bpfman images go under one namespace chosen by the operator. Either way a namespace a local publisher
 * owns is refused: an origin never publishes in a local publisher's name.
 */
public final class RegistryIndexer {
    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final IndexedOrigins origins;
    private final Clock clock;
    private final ImageKind kinds = new ImageKind();

    /**
     * @param blobs    where copied blobs go
     * @param metadata the repositories, package index, accounts and indexed origins
     * @param clock    time stamps
     */
    public RegistryIndexer(BlobStore blobs, MetadataStore metadata, Clock clock) {
        this.blobs = blobs;
        this.metadata = metadata;
        this.origins = metadata.indexedOrigins();
        this.clock = clock;
    }

    /**
     * Indexes {@code origin} (recording it as an origin first).
     *
     * @param credentials     for the origin, if it needs them
     * @param bpfmanNamespace the namespace bpfman images are indexed under
     * @throws IndexException if the origin cannot be listed
     */
    public IndexReport index(Origin origin, Optional<Credentials> credentials, String bpfmanNamespace)
            throws IndexException, IOException {
        origins.addOrigin(origin.url(), clock.instant());
        OriginClient client = new OriginClient(origin.registry(), credentials);
        List<String> repositories = origin.repository().isPresent() ? List.of(origin.repository().get())
                : client.catalog();
        List<IndexReport.Tag> report = new ArrayList<>();
        for (String repository : repositories) {
            for (String tag : client.tags(repository)) {
                report.add(indexTag(client, origin, repository, tag, bpfmanNamespace));
            }
        }
        return new IndexReport(origin.url(), report);
    }

    private IndexReport.Tag indexTag(OriginClient client, Origin origin, String repository, String tag,
                                     String bpfmanNamespace) throws IndexException, IOException {
        Optional<String> version = ImageKind.version(tag);
        if (version.isEmpty()) {
            return new IndexReport.Tag(repository, tag, Outcome.SKIPPED, "not a version tag");
        }
        OriginClient.Manifest manifest = client.manifest(repository, tag);
        Digest digest = manifest.digest();
        Optional<IndexedImage> before = origins.find(origin.url(), repository, tag);
        if (before.isPresent() && before.get().digest().equals(digest.toString())) {
            return new IndexReport.Tag(repository, tag, Outcome.UNCHANGED, before.get().localRepository() + "@"
                    + before.get().version());
        }
        ManifestDocument doc;
        try {
            doc = ManifestDocument.parse(manifest.bytes(), Optional.of(manifest.mediaType()), "manifest");
        } catch (InvalidImageException e) {
            return new IndexReport.Tag(repository, tag, Outcome.REFUSED, e.getMessage());
        }
        if (doc.config().isEmpty()) {
            return new IndexReport.Tag(repository, tag, Outcome.SKIPPED, "an index, not an image manifest");
        }
        Descriptor config = doc.config().get();
        if (config.size() > RegistryClient.MAX_MANIFEST) {
            return new IndexReport.Tag(repository, tag, Outcome.SKIPPED, "config too large for a package");
        }
        try {
            copy(client, repository, config);
            byte[] configBytes;
            try (InputStream in = blobs.open(config.digest(), 0).orElseThrow()) {
                configBytes = in.readAllBytes();
            }
            String where = origin.registry() + "/" + repository + ":" + tag;
            Optional<ImageKind.Recognised> kind = kinds.recognise(configBytes, repository, version.get(),
                    digest.toString(), bpfmanNamespace, where);
            if (kind.isEmpty()) {
                return new IndexReport.Tag(repository, tag, Outcome.SKIPPED, "not a bpfstore or bpfman image");
            }
            String local = kind.get().repository();
            Optional<String> owner = metadata.accounts().namespaceOwner(kind.get().release().namespace());
            if (owner.isPresent()) {
                return new IndexReport.Tag(repository, tag, Outcome.REFUSED, "namespace "
                        + kind.get().release().namespace() + " belongs to local publisher " + owner.get());
            }
            for (Descriptor layer : doc.layers()) {
                copy(client, repository, layer);
            }
            for (Descriptor d : doc.blobs()) {
                metadata.repositories().linkBlob(local, d.digest());
            }
            metadata.repositories().putManifest(new ManifestRecord(local, digest, doc.mediaType(), manifest.bytes(),
                    Optional.empty(), doc.artifactType(), clock.instant()), Optional.of(version.get()),
                    Optional.of(kind.get().release()));
            origins.record(new IndexedImage(origin.url(), repository, tag, digest.toString(), local, version.get(),
                    kind.get().kind(), clock.instant()));
            return new IndexReport.Tag(repository, tag, Outcome.INDEXED, local + "@" + version.get() + " ("
                    + kind.get().kind() + ")");
        } catch (BlobStoreException e) {
            return new IndexReport.Tag(repository, tag, Outcome.REFUSED, e.getMessage());
        } catch (InvalidPackageException e) {
            return new IndexReport.Tag(repository, tag, Outcome.REFUSED, e.getMessage());
        }
    }

    /** Copies one blob unless present; the blob store verifies its digest and size as it writes it. */
    private void copy(OriginClient client, String repository, Descriptor d)
            throws IndexException, IOException, BlobStoreException {
        if (blobs.stat(d.digest()).isPresent()) {
            return;
        }
        if (d.size() > blobs.maxBlobSize()) {
            throw new BlobStoreException.TooLarge(blobs.maxBlobSize());
        }
        try (InputStream in = client.blob(repository, d.digest())) {
            blobs.put(d.digest(), in, d.size());
        }
    }
}
