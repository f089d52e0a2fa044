package io.bpfstore.registry.storage;

import java.util.Optional;

/**
 * Everything the registry knows besides blob bytes, split by concept. One implementation serves all four
 * views so that a manifest, its tag and its package-index row can be written in one transaction.
 */
public interface MetadataStore extends AutoCloseable {

    /** Repositories: blob links, manifests, tags, referrers, the catalog. */
    Repositories repositories();

    /** Blob upload sessions. */
    UploadSessions uploads();

    /** Publishers, their namespaces and hashed API tokens. */
    Accounts accounts();

    /** The package index behind the store API. */
    PackageIndex packages();

    /**
     * The lock ordering manifest pushes against blob collection. The embedded store serves one instance, so a
     * lock in the JVM is enough; a store shared by several instances extends it across them.
     */
    default ReferenceLock referenceLock() {
        return new ReferenceLock();
    }

    /**
     * The rate limiter's counts, if every instance serving this store shares them; empty where one instance
     * serves the store (the embedded set-up), which counts in its own memory.
     */
    default Optional<RateCounters> sharedRateCounters() {
        return Optional.empty();
    }

    /**
     * Other registries indexed here and the images copied from them.
     *
     * @throws UnsupportedOperationException if this store keeps none
     */
    default IndexedOrigins indexedOrigins() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no indexed origins");
    }

    /** Releases connections; further calls fail. */
    @Override
    void close();
}
