package io.bpfstore.registry.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Other registries whose packages this registry indexes ({@code bpfstore registry index}), and what was copied
 * from each: the record that makes re-indexing incremental (a tag whose digest is unchanged is skipped) and that
 * names a package's origin. A metadata store that keeps none throws {@link UnsupportedOperationException} from
 * {@link MetadataStore#indexedOrigins()}.
 */
public interface IndexedOrigins {

    /** Adds an origin; false if it was already there. */
    boolean addOrigin(String url, Instant addedAt);

    /** The origins, in the order of their URLs. */
    List<String> origins();

    /** Removes an origin and its image records (the copied packages stay until deleted); false if unknown. */
    boolean removeOrigin(String url);

    /** The image indexed from {@code origin}'s {@code remoteRepository:tag}, if any. */
    Optional<IndexedImage> find(String origin, String remoteRepository, String tag);

    /** Records (or replaces) an indexed image. */
    void record(IndexedImage image);

    /** The images indexed from {@code origin}. */
    List<IndexedImage> images(String origin);
}
