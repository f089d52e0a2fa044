package io.bpfstore.registry.auth;

import java.util.Locale;
import java.util.Optional;

/** What a scope lets its holder do with a repository. */
public enum Action {
    /** Read manifests, blobs and tags. */
    PULL,
    /** Upload blobs and manifests. */
    PUSH,
    /** Delete manifests, tags and blob links. */
    DELETE;

    /** The wire name ({@code pull}, {@code push}, {@code delete}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; {@code *} is not an action (see {@link Scope#parse}). */
    public static Optional<Action> parse(String text) {
        return switch (text) {
            case "pull" -> Optional.of(PULL);
            case "push" -> Optional.of(PUSH);
            case "delete" -> Optional.of(DELETE);
            default -> Optional.empty();
        };
    }
}
