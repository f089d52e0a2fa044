package io.bpfstore.registry.storage;

import io.bpfstore.store.image.Digest;
import io.bpfstore.registry.packages.PackageRelease;
import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;

/**
 * Repository state of the distribution API. A blob is visible in a repository only once linked to it (after
 * an upload or a mount), as in the reference registry: knowing a digest does not grant access to it.
 */
public interface Repositories {

    /** Links a stored blob into a repository (creating the repository). */
    void linkBlob(String repository, Digest digest);

    /** True if the blob is linked into the repository. */
    boolean isBlobLinked(String repository, Digest digest);

    /** Removes a link; false if there was none. */
    boolean unlinkBlob(String repository, Digest digest);

    /**
     * Stores a manifest, points {@code tag} at it and indexes {@code release}, all in one transaction: a
     * concurrent push of the same tag sees either the old or the new state, and the tag names exactly one
     * manifest afterwards.
     */
    default void putManifest(ManifestRecord manifest, Optional<String> tag, Optional<PackageRelease> release) {
        putManifest(manifest, tag, release, false);
    }

    /**
     * As {@link #putManifest(ManifestRecord, Optional, Optional)}; with {@code immutableVersions}, a release whose
     * version is already published with another manifest is refused in the same transaction (pushing the same
     * manifest again is fine), so that concurrent pushes through any number of instances leave one version.
     *
     * @throws PublishedVersionException if the version is published with other content
     */
    void putManifest(ManifestRecord manifest, Optional<String> tag, Optional<PackageRelease> release,
                     boolean immutableVersions);

    /** The manifest with this digest in the repository. */
    Optional<ManifestRecord> manifest(String repository, Digest digest);

    /** The manifest the tag points to. */
    Optional<ManifestRecord> taggedManifest(String repository, String tag);

    /** Deletes a manifest, every tag pointing at it and the package versions it published. */
    boolean deleteManifest(String repository, Digest digest);

    /** Deletes one tag (the manifest stays reachable by digest). */
    boolean deleteTag(String repository, String tag);

    /** True if anything was ever pushed to the repository (and it was not emptied). */
    boolean exists(String repository);

    /** Tags in lexical order after {@code last} (null: from the start), at most {@code limit}. */
    List<String> tags(String repository, String last, int limit);

    /** Repository names in lexical order after {@code last} (null: from the start), at most {@code limit}. */
    List<String> list(String last, int limit);

    /** Manifests in the repository whose {@code subject} is {@code subject}. */
    List<ManifestRecord> referrers(String repository, Digest subject);

    /** Visits every manifest of every repository (for garbage collection); the visitor must not write. */
    void forEachManifest(Consumer<ManifestRecord> visitor);

    /** Removes every repository's link to the blob; returns how many there were. */
    int unlinkBlobEverywhere(Digest digest);
}
