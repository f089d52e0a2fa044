package io.bpfstore.agent.event;

/** Where events go: the agent's event log, the {@code /v1/events} stream, metrics and the log. */
@FunctionalInterface
public interface EventSink {
    /** Publishes one event; must not block for long (called from watch and operation threads). */
    void publish(AgentEvent event);
}
