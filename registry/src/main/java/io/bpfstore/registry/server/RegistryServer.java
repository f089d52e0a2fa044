package io.bpfstore.registry.server;

import io.bpfstore.registry.api.StoreApi;
import io.bpfstore.registry.auth.AccessPolicy;
import io.bpfstore.registry.auth.Authenticator;
import io.bpfstore.registry.auth.TokenEndpoint;
import io.bpfstore.registry.http.Exchange;
import io.bpfstore.registry.limits.AnalysisPool;
import io.bpfstore.registry.limits.InstanceRateCounters;
import io.bpfstore.registry.limits.RateLimiter;
import io.bpfstore.registry.limits.RegistryLimits;
import io.bpfstore.registry.maintenance.MaintenancePolicy;
import io.bpfstore.registry.maintenance.MaintenanceReport;
import io.bpfstore.registry.maintenance.StorageMaintenance;
import io.bpfstore.registry.oci.Distribution;
import io.bpfstore.registry.storage.MetadataUnavailableException;
import io.bpfstore.registry.storage.BlobStoreUnavailableException;
import io.bpfstore.registry.storage.CorruptBlobException;
import io.bpfstore.registry.storage.ReferenceLock;
import io.bpfstore.registry.web.ObjectReports;
import io.bpfstore.registry.web.WebUi;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** A running registry; {@link #close()} stops it and releases its storage. */
public final class RegistryServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RegistryServer.class.getName());
    /** Analyses that may wait for a thread; more are refused at push ("busy") or shown as pending on a page. */
    private static final int ANALYSIS_QUEUE = 64;

    private final Server server;
    private final ServerConnector connector;
    private final DataDirectory data;
    private final StorageMaintenance maintenance;
    private final MaintenancePolicy maintenancePolicy;
    private final ScheduledExecutorService upkeep;
    private final AnalysisPool analysis;

    private RegistryServer(Server server, ServerConnector connector, DataDirectory data,
                           StorageMaintenance maintenance, MaintenancePolicy maintenancePolicy, AnalysisPool analysis) {
        this.analysis = analysis;
        this.server = server;
        this.connector = connector;
        this.data = data;
        this.maintenance = maintenance;
        this.maintenancePolicy = maintenancePolicy;
        this.upkeep = scheduleUpkeep(maintenance, maintenancePolicy);
    }

    /** Opens the config's storage and starts serving. */
    public static RegistryServer start(RegistryConfig config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    /** Starts with a given clock (tests move time to expire tokens). */
    public static RegistryServer start(RegistryConfig config, Clock clock) throws Exception {
        DataDirectory data = config.storage().open(config.maxBlobSize());
        AnalysisPool analysis = null;
        try {
            AccessPolicy policy = new AccessPolicy(data.metadata().accounts(), config.privatePull());
            Authenticator authenticator = new Authenticator(data.metadata().accounts(), data.signer(), policy, clock);
            ReferenceLock references = data.metadata().referenceLock();
            RegistryLimits limits = config.limits();
            analysis = new AnalysisPool(limits.analysisThreads(), ANALYSIS_QUEUE, limits.analysisBudget());
            ObjectReports reports = new ObjectReports(data.metadata().repositories(), data.blobs(), analysis,
                    limits.analysisInstructions());
            Distribution distribution = new Distribution(data.blobs(), data.metadata(), authenticator,
                    config.maxManifestSize(), references, clock, limits, analysis,
                    (repository, digest) -> reports.schedule(repository, digest.toString()), config.mutableVersions());
            TokenEndpoint tokens = new TokenEndpoint(authenticator, data.signer(), config.tokenLifetime(), clock);
            StoreApi api = new StoreApi(data.metadata().packages(), data.metadata().accounts(), authenticator);
            WebUi web = new WebUi(data.metadata().packages(), data.metadata().accounts(), reports,
                    config.privatePull(), config.mutableVersions());

            QueuedThreadPool threads = new QueuedThreadPool();
            threads.setName("registry");
            threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
            Server server = new Server(threads);
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendDateHeader(true);
            // Let odd paths (%2e%2e, %2F, empty segments) reach the handlers, which reject them with the
            // spec's NAME_INVALID instead of Jetty's HTML 400; names are validated strictly there.
            http.setUriCompliance(UriCompliance.LEGACY);
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(config.host());
            connector.setPort(config.port());
            server.addConnector(connector);
            // GracefulHandler: at stop, requests in flight (uploads) finish within the drain timeout and new ones
            // get 503, while the connectors stop accepting connections
            server.setHandler(new GracefulHandler(new RegistryMetrics(new Root(distribution, tokens, api, web,
                    new RateLimiter(limits, clock, data.metadata().sharedRateCounters()
                            .orElseGet(InstanceRateCounters::new)), new HealthEndpoints(data.blobs(), data.metadata())),
                    data.metadata().packages(), data.blobs())));
            server.setErrorHandler(new JsonErrorHandler());
            server.setStopTimeout(config.operations().drainTimeout().toMillis());
            AccessLog.of(config.operations().accessLog()).ifPresent(server::setRequestLog);
            server.start();
            StorageMaintenance maintenance = new StorageMaintenance(data.blobs(), data.metadata(), references, clock);
            return new RegistryServer(server, connector, data, maintenance, config.maintenance(), analysis);
        } catch (Exception e) {
            if (analysis != null) {
                analysis.close();
            }
            data.close();
            throw e;
        }
    }

    /** Runs storage upkeep now and then every interval, on one daemon thread; failures are logged, not fatal. */
    private static ScheduledExecutorService scheduleUpkeep(StorageMaintenance maintenance, MaintenancePolicy policy) {
        ScheduledExecutorService upkeep = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registry-upkeep");
            t.setDaemon(true);
            return t;
        });
        if (!policy.interval().isZero()) {
            upkeep.scheduleWithFixedDelay(() -> {
                try {
                    maintenance.run(policy, false);
                } catch (Exception | Error e) {
                    if (Thread.currentThread().isInterrupted()) {
                        return; // the registry is stopping
                    }
                    LOG.log(System.Logger.Level.WARNING, "storage maintenance failed: " + e.getMessage(), e);
                }
            }, 0, policy.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
        return upkeep;
    }

    /**
     * Runs storage upkeep now, under the same lock as the periodic run (for administration and tests).
     *
     * @param dryRun report only
     */
    public MaintenanceReport runMaintenance(boolean dryRun) throws IOException {
        return maintenance.run(maintenancePolicy, dryRun);
    }

    /** The port actually bound. */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port}. */
    public URI uri() {
        String host = connector.getHost();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port());
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops accepting connections and requests (new requests on open connections get 503), lets requests in flight
     * finish up to the drain timeout, then closes the analysis pool and the data directory.
     */
    @Override
    public void close() {
        upkeep.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stop registry: " + e.getMessage(), e);
        } finally {
            analysis.close();
            data.close();
        }
    }

    /** Dispatches by path prefix and turns unexpected failures into a 500 without a stack trace. */
    private static final class Root extends Handler.Abstract {
        private final Distribution distribution;
        private final TokenEndpoint tokens;
        private final StoreApi api;
        private final WebUi web;
        private final RateLimiter rates;
        private final HealthEndpoints health;

        Root(Distribution distribution, TokenEndpoint tokens, StoreApi api, WebUi web, RateLimiter rates,
             HealthEndpoints health) {
            this.health = health;
            this.rates = rates;
            this.distribution = distribution;
            this.tokens = tokens;
            this.api = api;
            this.web = web;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Exchange ex = new Exchange(request, response, callback);
            // on every response: no MIME sniffing, and no framing of the web UI by other sites (clickjacking)
            ex.header("X-Content-Type-Options", "nosniff");
            ex.header("Content-Security-Policy", "frame-ancestors 'none'");
            String address = Request.getRemoteAddr(request);
            Optional<String> authorization = ex.header("Authorization");
            Optional<String> account = authorization.flatMap(Authenticator::basicUser);
            try {
                String path = ex.rawPath();
                Optional<Duration> wait = rates.check(address,
                        authorization.filter(Authenticator::isLoginAttempt).isPresent(), account, path.equals("/token"));
                if (wait.isPresent()) {
                    ex.header("Retry-After", Long.toString(Math.max(1, wait.get().toSeconds() + 1)));
                    ex.respond(429, "application/json", ("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":"
                            + "\"too many failed logins or token requests; retry later\"}]}").getBytes(StandardCharsets.UTF_8));
                    return true;
                }
                if (authorization.isPresent()) {
                    // counted before the 401 is sent: a client's next attempt, on any instance, sees this one
                    ex.beforeResponse(status -> {
                        if (status == 401) {
                            rates.failed(address, account);
                        }
                    });
                }
                route(ex, path);
            } catch (Throwable t) {
                if (ex.isCompleted()) {
                    LOG.log(System.Logger.Level.DEBUG, "request failed after the response started", t);
                    ex.abort(t);
                } else if (cause(t, BlobStoreUnavailableException.class) != null) { // (its cause may be a closed channel)
                    unavailable(ex, request, cause(t, BlobStoreUnavailableException.class), "blob store");
                } else if (cause(t, CorruptBlobException.class) != null) {
                    LOG.log(System.Logger.Level.ERROR, request.getMethod() + " " + ex.rawPath() + ": "
                            + cause(t, CorruptBlobException.class).getMessage());
                    ex.respond(502, "application/json", ("{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":"
                            + "\"the blob store returned corrupt content; refused\"}]}").getBytes(StandardCharsets.UTF_8));
                } else if (isDisconnect(t)) {
                    ex.abort(t);
                } else if (cause(t, MetadataUnavailableException.class) != null) {
                    unavailable(ex, request, t, "storage"); // the transaction did not commit
                } else {
                    LOG.log(System.Logger.Level.ERROR, request.getMethod() + " " + ex.rawPath() + " failed", t);
                    ex.respond(500, "application/json",
                            "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"internal error\"}]}"
                                    .getBytes(StandardCharsets.UTF_8));
                }
            }
            return true;
        }

        /**
         * 503 with the OCI error body and Retry-After: {@code what} is down or unreachable and nothing was recorded,
         * so the client may retry once it is back.
         */
        private static void unavailable(Exchange ex, Request request, Throwable t, String what) {
            LOG.log(System.Logger.Level.WARNING, request.getMethod() + " " + ex.rawPath() + ": " + t.getMessage());
            ex.header("Retry-After", "5");
            ex.respond(503, "application/json", ("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"" + what
                    + " unavailable; retry later\"}]}").getBytes(StandardCharsets.UTF_8));
        }

        private void route(Exchange ex, String path) throws Exception {
            if (path.equals("/v2") || path.startsWith("/v2/")) {
                distribution.handle(ex);
            } else if (HealthEndpoints.serves(path)) {
                health.handle(ex, path);
            } else if (path.equals("/token")) {
                tokens.handle(ex);
            } else if (path.startsWith("/api/v1/")) {
                api.handle(ex);
            } else if (WebUi.serves(path)) {
                web.handle(ex);
            } else if (WebUi.wantsHtml(ex)) {
                WebUi.notFound(ex);
            } else {
                ex.respond(404, "application/json",
                        "{\"error\":{\"code\":\"not_found\",\"message\":\"no such endpoint\"}}"
                                .getBytes(StandardCharsets.UTF_8));
            }
        }

        /** The first cause of {@code t} (itself included) of the type, or null. */
        private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (type.isInstance(c)) {
                    return type.cast(c);
                }
            }
            return null;
        }

        private static boolean isDisconnect(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                // a client gone, or stalled past the idle timeout (at a drained stop, the drain timeout)
                if (c instanceof org.eclipse.jetty.io.EofException
                        || c instanceof java.nio.channels.ClosedChannelException
                        || c instanceof java.util.concurrent.TimeoutException) {
                    return true;
                }
            }
            return false;
        }
    }
}
