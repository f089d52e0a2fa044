package io.bpfstore.registry.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a verified bearer token says.
 *
 * @param subject   the publisher it was issued to, empty for an anonymous token
 * @param issuedAt  issue time
 * @param expiresAt expiry
 * @param access    granted scopes
 */
public record Grant(Optional<String> subject, Instant issuedAt, Instant expiresAt, List<Scope> access) {
    /** Copies the list. */
    public Grant {
        access = List.copyOf(access);
    }

    /** True if some scope grants {@code action} on the repository. */
    public boolean allows(String repository, Action action) {
        return access.stream().anyMatch(s -> s.type().equals("repository") && s.name().equals(repository)
                && s.actions().contains(action));
    }
}
