package io.bpfstore.registry.auth;

import io.bpfstore.registry.storage.Accounts;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what: anyone may pull unless the registry is private (then any publisher may); a publisher may
 * push and delete in repositories under a namespace it owns.
 */
public final class AccessPolicy {
    private final Accounts accounts;
    private final boolean privatePull;

    /** @param accounts namespace ownership @param privatePull true if pulling needs a publisher */
    public AccessPolicy(Accounts accounts, boolean privatePull) {
        this.accounts = accounts;
        this.privatePull = privatePull;
    }

    /** True if pulling needs authentication. */
    public boolean isPrivate() {
        return privatePull;
    }

    /** The subset of {@code requested} that {@code publisher} (empty: anonymous) may do on {@code scope}. */
    public Set<Action> allowed(Optional<String> publisher, Scope scope) {
        EnumSet<Action> granted = EnumSet.noneOf(Action.class);
        if (!scope.type().equals("repository")) {
            return granted;
        }
        for (Action a : scope.actions()) {
            if (allows(publisher, scope.name(), a)) {
                granted.add(a);
            }
        }
        return granted;
    }

    /** True if {@code publisher} (empty: anonymous) may do {@code action} on the repository. */
    public boolean allows(Optional<String> publisher, String repository, Action action) {
        return switch (action) {
            case PULL -> !privatePull || publisher.isPresent();
            case PUSH, DELETE -> publisher.isPresent() && owns(publisher.get(), repository);
        };
    }

    private boolean owns(String publisher, String repository) {
        int slash = repository.indexOf('/');
        String namespace = slash < 0 ? repository : repository.substring(0, slash);
        return accounts.namespaceOwner(namespace).map(publisher::equals).orElse(false);
    }
}
