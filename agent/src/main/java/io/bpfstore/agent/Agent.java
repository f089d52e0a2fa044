package io.bpfstore.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.agent.api.AgentJson;
import io.bpfstore.agent.event.EventLog;
import io.bpfstore.agent.follow.FollowRules;
import io.bpfstore.agent.follow.Follower;
import io.bpfstore.agent.local.LocalInstallations;
import io.bpfstore.agent.local.StateSource;
import io.bpfstore.agent.metrics.AgentMetrics;
import io.bpfstore.agent.metrics.MetricsServer;
import io.bpfstore.agent.watch.HostWatch;
import io.bpfstore.agent.server.AgentServer;
import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.PausePoints;
import io.bpfstore.kernel.inventory.HostInventory;
import io.bpfstore.store.client.ProgressBar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The resident agent: at start it finishes what a killed operation left (the install library's recovery),
 * restores installations whose kernel objects are gone ({@link Restore}), then watches the host ({@link HostWatch}),
 * serves Prometheus metrics when asked to ({@link AgentMetrics}), serves the API on the unix socket and polls
 * follow rules about once a second. One per host; it owns the state directory and the bpffs folder.
 *
 * <p>Usage: {@code try (Agent agent = Agent.start(options)) { agent.awaitStop(); }}
 */
public final class Agent implements AutoCloseable {
    /** The default socket. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/bpfstore/agent.sock");
    private static final Logger LOG = Logger.getLogger("bpfstore.agent");

    /**
     * How the agent runs.
     *
     * @param layout        state directory and bpffs folder
     * @param socket        the API's unix socket
     * @param registry      the registry for packages named without one (and follow)
     * @param adminGroup    a group (by primary gid name) whose members may change installations besides root
     * @param metricsListen {@code ADDR:PORT} for Prometheus metrics, when given
     * @param env           the environment (config file, pause points for tests)
     */
    public record Options(InstallLayout layout, Path socket, Optional<String> registry, Optional<String> adminGroup,
                          Optional<String> metricsListen, Map<String, String> env) {
        /** Copies. */
        public Options {
            env = Map.copyOf(env);
        }
    }

    private final LocalInstallations installations;
    private final EventLog events;
    private final FollowRules follow;
    private final AgentServer server;
    private final ScheduledExecutorService ticker;
    private final List<String> restored;

    private final HostWatch watch;
    private final Optional<AgentMetrics> metrics;
    private final Optional<MetricsServer> metricsServer;

    private Agent(LocalInstallations installations, EventLog events, FollowRules follow, AgentServer server,
                  ScheduledExecutorService ticker, List<String> restored, HostWatch watch,
                  Optional<AgentMetrics> metrics, Optional<MetricsServer> metricsServer) {
        this.watch = watch;
        this.metrics = metrics;
        this.metricsServer = metricsServer;
        this.installations = installations;
        this.events = events;
        this.follow = follow;
        this.server = server;
        this.ticker = ticker;
        this.restored = restored;
    }

    /** Recovers, restores, and starts serving. */
    public static Agent start(Options options) {
        InstallLayout layout = options.layout();
        LocalInstallations installations = new LocalInstallations(layout, PausePoints.fromEnvironment(options.env()),
                options.env(), line -> LOG.info("recovery: " + line), ProgressBar.silent(), options.registry(), true);
        installations.list(); // opening the installations finishes what a killed operation left
        EventLog events = new EventLog(Optional.of(layout.stateDir().resolve("events.jsonl")));
        List<String> restored = new Restore(installations, events).run();
        FollowRules follow = new FollowRules(layout.stateDir().resolve("follow.json"),
                name -> installations.list().stream().anyMatch(i -> i.name().equals(name)));
        StateSource source = new StateSource(layout, installations.service());
        Optional<AgentMetrics> metrics = Optional.empty();
        Optional<MetricsServer> metricsServer = Optional.empty();
        HostWatch watch;
        try {
            if (options.metricsListen().isPresent()) {
                metrics = Optional.of(AgentMetrics.start(source));
                events.addListener(metrics.get().events());
                metricsServer = Optional.of(MetricsServer.start(MetricsServer.parseListen(options.metricsListen().get()),
                        metrics.get()));
            }
            watch = HostWatch.start(source, events, HostWatch.Options.defaults(layout.bpffs()));
        } catch (IOException e) {
            metricsServer.ifPresent(MetricsServer::close);
            metrics.ifPresent(AgentMetrics::close);
            throw new UncheckedIOException("start the agent's watch and metrics: " + e.getMessage(), e);
        }
        AgentServer server = AgentServer.start(options.socket(), installations, events, follow, Agent::inventory,
                options.adminGroup());
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-follow");
            t.setDaemon(true);
            return t;
        });
        Follower follower = new Follower(installations, follow, events, Clock.systemUTC());
        ticker.scheduleWithFixedDelay(() -> {
            try {
                follower.pollDue();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "follow: " + e, e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        LOG.info("serving on " + options.socket() + " (state " + layout.stateDir() + ", bpffs " + layout.bpffs() + ")");
        return new Agent(installations, events, follow, server, ticker, restored, watch, metrics, metricsServer);
    }

    /** The host's eBPF objects as the kernel lists them (programs, maps, links, BTF), as JSON. */
    static JsonNode inventory() {
        return AgentJson.mapper().valueToTree(HostInventory.scan());
    }

    /** What restore did at start. */
    public List<String> restored() {
        return restored;
    }

    /** The metrics endpoint's address, when metrics are on. */
    public Optional<java.net.InetSocketAddress> metricsAddress() {
        return metricsServer.map(MetricsServer::address);
    }

    /** The installations. */
    public LocalInstallations installations() {
        return installations;
    }

    /** The event log (the watch publishes to it; metrics listen to it). */
    public EventLog events() {
        return events;
    }

    /** The follow rules. */
    public FollowRules follow() {
        return follow;
    }

    /** Blocks until the process is told to stop. */
    public void awaitStop() throws InterruptedException {
        Thread.currentThread().join();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        server.close();
        try {
            watch.close();
        } catch (IOException e) {
            LOG.warning("stop the watch: " + e.getMessage());
        }
        metricsServer.ifPresent(MetricsServer::close);
        metrics.ifPresent(AgentMetrics::close);
        installations.close();
    }
}
