/**
 * What the agent reports about the host and its installations: {@link io.bpfstore.agent.event.AgentEvent}s
 * published to an {@link io.bpfstore.agent.event.EventSink} by the watch, restore, follow and the API's
 * operations, and streamed to clients ({@code bpfstore events}), counted in metrics and logged.
 */
package io.bpfstore.agent.event;
