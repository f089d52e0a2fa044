package io.bpfstore.registry.auth;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A resource scope of the token flow: {@code repository:ns/name:pull,push} or {@code registry:catalog:*}.
 *
 * @param type    {@code repository} or {@code registry}
 * @param name    repository name, or {@code catalog}
 * @param actions the actions asked for or granted
 */
public record Scope(String type, String name, Set<Action> actions) {
    /** Copies the set. */
    public Scope {
        actions = actions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(actions));
    }

    /** A repository scope. */
    public static Scope repository(String name, Set<Action> actions) {
        return new Scope("repository", name, actions);
    }

    /**
     * Parses {@code type:name:actions}; the name may itself contain colons (a registry host with a port), so
     * the type is up to the first colon and the actions after the last. Unknown actions are dropped; {@code *}
     * means every action.
     */
    public static Optional<Scope> parse(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last == first || text.length() > 512) {
            return Optional.empty();
        }
        EnumSet<Action> actions = EnumSet.noneOf(Action.class);
        for (String a : text.substring(last + 1).split(",")) {
            if (a.equals("*")) {
                actions.addAll(EnumSet.allOf(Action.class));
            } else {
                Action.parse(a).ifPresent(actions::add);
            }
        }
        return Optional.of(new Scope(text.substring(0, first), text.substring(first + 1, last), actions));
    }

    /** The wire form; actions in enum order. */
    @Override
    public String toString() {
        return type + ":" + name + ":" + actions.stream().sorted().map(Action::wireName)
                .collect(Collectors.joining(","));
    }
}
