package io.bpfstore.registry.storage;

import java.util.List;
import java.util.Optional;

/** Publishers, the namespaces they own and their API tokens (only SHA-256 hashes are stored). */
public interface Accounts {

    /** Creates a publisher owning {@code namespaces}; {@link ConflictException} if the name or a namespace is taken. */
    Publisher createPublisher(String name, List<String> namespaces);

    /** The publisher, if it exists. */
    Optional<Publisher> publisher(String name);

    /** The publisher owning the namespace, if any. */
    Optional<String> namespaceOwner(String namespace);

    /** Stores the hash of a new API token of the publisher. */
    void addToken(String publisher, String sha256Hex);

    /** The publisher whose API token hashes to {@code sha256Hex}. */
    Optional<String> publisherForToken(String sha256Hex);
}
