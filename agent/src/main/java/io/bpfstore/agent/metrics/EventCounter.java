package io.bpfstore.agent.metrics;

import io.bpfstore.agent.event.AgentEvent;
import io.bpfstore.agent.event.EventKind;
import io.bpfstore.agent.event.EventSink;
import io.prometheus.metrics.core.metrics.Counter;

/**
 * Counts the agent's events by kind ({@code bpfstore_events_total{kind}}): put it among the sinks events go to.
 * Every kind is exported from the start at 0, so {@code rate()} and alerts see the first event.
 */
public final class EventCounter implements EventSink {
    private final Counter counter;

    EventCounter(Counter counter) {
        this.counter = counter;
        for (EventKind k : EventKind.values()) {
            counter.labelValues(k.label());
        }
    }

    @Override
    public void publish(AgentEvent event) {
        counter.labelValues(event.kind().label()).inc();
    }
}
