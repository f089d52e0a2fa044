package io.bpfstore.agent.watch;

import io.bpfstore.agent.event.AgentEvent;
import io.bpfstore.agent.event.EventKind;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Something wrong with an installation that the watch saw at one look at the host. The watch publishes an event
 * when a condition's key appears, not again while it stays.
 *
 * @param kind         the event kind it becomes
 * @param installation the installation id
 * @param key          identifies the condition between looks (kind, installation, object)
 * @param message      one line, in the clash check's words
 * @param details      machine-readable facts
 */
record Condition(EventKind kind, String installation, String key, String message, Map<String, String> details) {
    Condition {
        details = Map.copyOf(details);
    }

    /** The condition as an event seen at {@code time}. */
    AgentEvent event(Instant time) {
        return new AgentEvent(time, kind, Optional.of(installation), message, details);
    }
}
