package io.bpfstore.agent.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing the agent saw or did, in the clash check's words ({@code message} is one line a user can act on).
 *
 * @param time         when the agent noticed or did it
 * @param kind         what kind of event it is
 * @param installation the installation it concerns, if any
 * @param message      one line, e.g. "foreign XDP program 812 (fw) now runs before xdp-counter: hides ..."
 * @param details      machine-readable facts (program id, interface, netns, ...), as strings
 */
public record AgentEvent(Instant time, EventKind kind, Optional<String> installation, String message,
                         Map<String, String> details) {
    /** Validates and copies. */
    public AgentEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(installation, "installation");
        Objects.requireNonNull(message, "message");
        details = Map.copyOf(details);
    }
}
