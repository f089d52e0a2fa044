/**
 * Prometheus metrics of the agent: {@link io.bpfstore.agent.metrics.AgentMetrics} (the series, read from the kernel
 * at each scrape, and the event counts) and {@link io.bpfstore.agent.metrics.MetricsServer} ({@code GET /metrics}
 * for {@code --metrics-listen}). Series and label names follow Prometheus's conventions (base units, {@code _total}
 * on counters, {@code _info} on the info series). The host's series are read in one pass and written straight in the
 * text format (a thousand installations make ~5,000 samples a scrape); the event counter is the Prometheus client
 * library's, written by its writer after them.
 *
 * <p>Traps: run counts exist only while someone holds BPF_ENABLE_STATS (or {@code kernel.bpf_stats_enabled=1}); the
 * kernel counts an XDP dispatcher, not the packages composed into it (the dispatcher counts each member's runs
 * itself, without run time; install's status reads that count).
 */
package io.bpfstore.agent.metrics;
