package io.bpfstore.registry.maintenance;

import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.image.ManifestDocument;
import io.bpfstore.registry.oci.OciException;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.store.image.Digest;
import io.bpfstore.registry.storage.ManifestRecord;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.ReferenceLock;
import io.bpfstore.registry.storage.StagedUpload;
import io.bpfstore.registry.storage.StoredBlob;
import io.bpfstore.registry.storage.UploadSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * Expires abandoned uploads and collects unreferenced blobs (mark: every blob any manifest of any repository
 * names; sweep: the rest, if older than the grace period). Safe to run while the registry serves.
 */
public final class StorageMaintenance {
    private static final System.Logger LOG = System.getLogger(StorageMaintenance.class.getName());

    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final ReferenceLock references;
    private final Clock clock;

    /**
     * @param blobs      the blob store to sweep
     * @param metadata   manifests (the roots) and upload sessions
     * @param references the lock manifest pushes share
     * @param clock      now, for expiry and grace
     */
    public StorageMaintenance(BlobStore blobs, MetadataStore metadata, ReferenceLock references, Clock clock) {
        this.blobs = blobs;
        this.metadata = metadata;
        this.references = references;
        this.clock = clock;
    }

    /**
     * Runs once.
     *
     * @param policy what counts as abandoned and how long unreferenced blobs are kept
     * @param dryRun report only, remove nothing
     * @throws IOException if the blob store cannot be listed; nothing past the failing step is removed
     * @throws UnreadableManifestException if a stored manifest does not parse: then nothing is collected,
     *                                     since the blobs it names are unknown
     */
    public MaintenanceReport run(MaintenancePolicy policy, boolean dryRun) throws IOException {
        Instant now = clock.instant();
        int expired = expireUploads(now.minus(policy.uploadTtl()), dryRun);
        int stray = removeStrayUploads(now.minus(policy.uploadTtl()), dryRun);
        Lock exclusive = references.collection();
        exclusive.lock();
        try {
            Set<Digest> referenced = markReferencedBlobs();
            Instant cutoff = now.minus(policy.blobGrace());
            int deleted = 0;
            int kept = 0;
            long freed = 0;
            for (StoredBlob blob : blobs.list()) {
                if (referenced.contains(blob.digest()) || !blob.storedAt().isBefore(cutoff)) {
                    kept++;
                    continue;
                }
                if (!dryRun) {
                    // Unlink first: a repository must never list a blob whose bytes are gone.
                    metadata.repositories().unlinkBlobEverywhere(blob.digest());
                    blobs.delete(blob.digest());
                }
                deleted++;
                freed += blob.size();
            }
            MaintenanceReport report = new MaintenanceReport(expired, stray, deleted, freed, kept, dryRun);
            // Said only when something went: an hourly "nothing to do" would bury the log.
            boolean removed = deleted + expired + stray > 0;
            LOG.log(removed ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, "storage maintenance: "
                    + report.summary());
            return report;
        } finally {
            exclusive.unlock();
        }
    }

    private int expireUploads(Instant startedBefore, boolean dryRun) throws IOException {
        List<UploadSession> stale = metadata.uploads().startedBefore(startedBefore);
        if (!dryRun) {
            for (UploadSession s : stale) {
                if (metadata.uploads().delete(s.id())) {
                    blobs.abortUpload(s.id(), s.staging());
                }
            }
        }
        return stale.size();
    }

    /** Staged bytes with no session: a crash between removing the session and its bytes. */
    private int removeStrayUploads(Instant modifiedBefore, boolean dryRun) throws IOException {
        int removed = 0;
        for (StagedUpload staged : blobs.stagedUploads()) {
            if (staged.modifiedAt().isBefore(modifiedBefore) && metadata.uploads().find(staged.id()).isEmpty()) {
                if (!dryRun) {
                    blobs.abortUpload(staged.id(), "");
                }
                removed++;
            }
        }
        return removed;
    }

    private Set<Digest> markReferencedBlobs() {
        Set<Digest> referenced = new HashSet<>();
        metadata.repositories().forEachManifest(m -> {
            for (Descriptor d : parse(m).blobs()) {
                referenced.add(d.digest());
            }
        });
        return referenced;
    }

    private static ManifestDocument parse(ManifestRecord m) {
        try {
            return ManifestDocument.parse(m.content(), Optional.of(m.mediaType()), "manifest");
        } catch (InvalidImageException e) {
            throw new UnreadableManifestException(m.repository(), m.digest(), e.getMessage());
        }
    }

    /** A stored manifest no longer parses; collection stops rather than guess what it references. */
    public static final class UnreadableManifestException extends RuntimeException {
        UnreadableManifestException(String repository, Digest digest, String problem) {
            super("manifest " + digest + " in " + repository + " does not parse (" + problem
                    + "); no blob was collected");
        }
    }
}
