package io.bpfstore.registry.auth;

import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.ConflictException;
import io.bpfstore.registry.storage.Publisher;
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
