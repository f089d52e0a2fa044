package io.bpfstore.agent.metrics;

import io.bpfstore.agent.event.EventSink;
import io.bpfstore.agent.watch.InstallationSource;
import io.bpfstore.kernel.RunStatistics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The agent's metrics, in the Prometheus text format: the host's series ({@link HostCollector}, read from the
 * kernel at each scrape) and the agent's event counts ({@link #events()}). While open it holds BPF_ENABLE_STATS, so
 * the kernel counts run_cnt and run_time_ns of every program on the host (a cost on every program run; see
 * docs/agent-observe.md for the figure); closing releases it (the kernel stops counting when no one holds it and
 * {@code kernel.bpf_stats_enabled} is 0).
 *
 * <p>Usage: {@code try (AgentMetrics m = AgentMetrics.start(source); MetricsServer s = MetricsServer.start(addr, m)) {...}}
 * and add {@link #events()} to the agent's event sinks.
 */
public final class AgentMetrics implements AutoCloseable {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final RunStatistics statistics;
    private final EventCounter events;
    private final HostCollector host;
    /** One scrape's text, kept between scrapes (~600 bytes per installation) so a scrape allocates no buffer. */
    private final TextExposition text = new TextExposition();

    /** What receives one scrape's text. */
    @FunctionalInterface
    public interface ScrapeSink {
        /**
         * Takes the text: {@code bytes[0 .. length)}, valid only during the call.
         *
         * @throws IOException if it cannot be sent
         */
        void accept(byte[] bytes, int length) throws IOException;
    }

    private AgentMetrics(InstallationSource source, RunStatistics statistics) {
        this.statistics = statistics;
        this.host = new HostCollector(source);
        this.events = new EventCounter(Counter.builder().name("bpfstore_events_total")
                .help("Events the agent published, by kind").labelNames("kind").register(registry));
    }

    /** Turns run statistics on and serves the installations of {@code source}. */
    public static AgentMetrics start(InstallationSource source) {
        return new AgentMetrics(source, RunStatistics.enable());
    }

    /** The sink that counts events: add it to the agent's sinks. */
    public EventSink events() {
        return events;
    }

    /**
     * Reads one scrape and hands its text, in the Prometheus text format (version 0.0.4), to {@code sink}: the host's
     * series written directly ({@link HostCollector}), then the event counts through the client library. Scrapes run
     * one at a time.
     *
     * @throws IOException if the sink throws it
     */
    public synchronized void scrape(ScrapeSink sink) throws IOException {
        text.reset();
        host.write(text);
        writer.write(text, registry.scrape());
        sink.accept(text.bytes(), text.size());
    }

    /** Writes one scrape in the Prometheus text format (version 0.0.4) to {@code out}. */
    public void write(OutputStream out) throws IOException {
        scrape((bytes, length) -> out.write(bytes, 0, length));
    }

    /** The scrape's content type. */
    public String contentType() {
        return writer.getContentType();
    }

    @Override
    public void close() {
        statistics.close();
    }
}
