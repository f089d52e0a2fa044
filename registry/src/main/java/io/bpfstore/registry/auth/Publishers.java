package io.bpfstore.registry.auth;

import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.ConflictException;
import io.bpfstore.registry.storage.Publisher;
import io.bpfstore.store.signing.KeyException;
import io.bpfstore.store.signing.TrustedKey;
import java.util.List;
import java.util.regex.Pattern;

/** Creates publishers and issues their API tokens (the secret is returned once and only its hash is kept). */
public final class Publishers {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");

    private final Accounts accounts;

    /** @param accounts where publishers are stored */
    public Publishers(Accounts accounts) {
        this.accounts = accounts;
    }

    /**
     * A publisher and a newly issued API token.
     *
     * @param publisher the account
     * @param token     the secret; show it once, it cannot be recovered
     */
    public record Issued(Publisher publisher, String token) {
    }

    /**
     * Creates a publisher owning {@code namespaces} and issues its first token.
     *
     * @throws IllegalArgumentException if a name is malformed
     * @throws ConflictException        if the publisher or a namespace already exists
     */
    public Issued create(String name, List<String> namespaces) {
        requireName(name);
        if (namespaces.isEmpty()) {
            throw new IllegalArgumentException("a publisher needs at least one namespace");
        }
        for (String ns : namespaces) {
            if (ns.length() > 128 || !NAMESPACE.matcher(ns).matches()) {
                throw new IllegalArgumentException("invalid namespace \"" + ns
                        + "\": lowercase letters and digits, separated by '.', '_', '__' or '-'");
            }
        }
        Publisher p = accounts.createPublisher(name, List.copyOf(new java.util.TreeSet<>(namespaces)));
        return new Issued(p, issue(p.name()));
    }

    /** Issues another token for an existing publisher; {@link IllegalArgumentException} if there is none. */
    public Issued issueToken(String name) {
        requireName(name);
        Publisher p = accounts.publisher(name)
                .orElseThrow(() -> new IllegalArgumentException("no publisher named \"" + name + "\""));
        return new Issued(p, issue(name));
    }

    /**
     * Registers a signing public key (SubjectPublicKeyInfo PEM, ECDSA P-256, as {@code bpfstore keygen} and cosign
     * write it) of an existing publisher; returns its fingerprint.
     *
     * @throws IllegalArgumentException if there is no such publisher or the key is unusable (says why)
     */
    public String addSigningKey(String name, String pem) {
        requireName(name);
        accounts.publisher(name).orElseThrow(() -> new IllegalArgumentException("no publisher named \"" + name
                + "\""));
        TrustedKey key;
        try {
            key = TrustedKey.parse(pem, "signing key");
        } catch (KeyException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        accounts.addSigningKey(name, key.fingerprint(), key.pem());
        return key.fingerprint();
    }

    /**
     * Makes pushes into {@code namespace} require a signature by one of its owner's registered keys (or stops
     * it). Requiring needs an owner with at least one key, or every push would be refused.
     *
     * @throws IllegalArgumentException if nobody owns the namespace or its owner has no key
     */
    public void requireSignatures(String namespace, boolean required) {
        String owner = accounts.namespaceOwner(namespace).orElseThrow(() -> new IllegalArgumentException(
                "no publisher owns namespace \"" + namespace + "\""));
        if (required && accounts.signingKeys(owner).isEmpty()) {
            throw new IllegalArgumentException("publisher " + owner + " has no signing key: register one first "
                    + "(bpfstore publisher add-key " + owner + " PUB.pem)");
        }
        accounts.requireSignatures(namespace, required);
    }

    private String issue(String name) {
        String token = ApiToken.generate();
        accounts.addToken(name, ApiToken.hash(token));
        return token;
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid publisher name \"" + name
                    + "\": 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }
}
