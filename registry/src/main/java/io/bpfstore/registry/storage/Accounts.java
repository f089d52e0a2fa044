package io.bpfstore.registry.storage;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

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

    /**
     * Registers a signing public key (SubjectPublicKeyInfo PEM, already validated) of the publisher under its
     * fingerprint; registering the same fingerprint again is a no-op.
     */
    void addSigningKey(String publisher, String fingerprint, String pem);

    /** The publisher's signing public keys as PEM text, by fingerprint, sorted by fingerprint. */
    SortedMap<String, String> signingKeys(String publisher);

    /** Makes pushes into {@code namespace} require a signature by one of its owner's keys, or stops requiring it. */
    void requireSignatures(String namespace, boolean required);

    /** Whether pushes into {@code namespace} need a signature by one of its owner's keys. */
    boolean signaturesRequired(String namespace);
}
