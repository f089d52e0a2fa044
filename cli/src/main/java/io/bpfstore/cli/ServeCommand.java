package io.bpfstore.cli;

import io.bpfstore.registry.maintenance.MaintenancePolicy;
import io.bpfstore.registry.limits.RegistryLimits;
import io.bpfstore.registry.server.BlobLocation;
import io.bpfstore.registry.server.Operations;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.storage.BlobStoreUnavailableException;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.server.RegistryStorage;
import io.bpfstore.registry.storage.MetadataException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bpfstore serve}: runs the registry (OCI distribution API, token endpoint, store API) until SIGINT/SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the package registry on ADDR:PORT with its state in a data directory.")
public final class ServeCommand implements Callable<Integer> {
    private static final Pattern LISTEN = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^:\\[\\]]+):(\\d{1,5})");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})([kKmMgG]?)");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhdSMHD]?)");
    /** Held so java.util.logging does not drop the level setting with a collected logger. */
    private static final Logger JETTY_LOG = Logger.getLogger("org.eclipse.jetty");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", defaultValue = "127.0.0.1:5000", paramLabel = "ADDR:PORT",
            description = "address and port to listen on (default: ${DEFAULT-VALUE}; port 0 picks a free one)")
    String listen;

    @Option(names = "--data", paramLabel = "DIR",
            description = "data directory: blobs/, registry.db, token.key (created if missing); the embedded set-up")
    Path data;

    @Option(names = "--database", paramLabel = "postgresql://USER@HOST[:PORT]/DB",
            description = "the scaled set-up: catalog, accounts and token key in PostgreSQL (password from"
                    + " PGPASSWORD or ~/.pgpass), blobs in --blobs; several instances may serve one database")
    String database;

    @Option(names = "--private", description = "require an authenticated publisher to pull (default: anonymous pull)")
    boolean privatePull;

    @Option(names = "--mutable-versions", defaultValue = "false",
            description = "let a publisher push a published version again with other content (default: ${DEFAULT-VALUE}:"
                    + " published versions are immutable; fixes come as new versions, mistakes are yanked)")
    boolean mutableVersions;

    @Option(names = "--max-blob-size", paramLabel = "N", defaultValue = "512M",
            description = "largest blob accepted, in bytes, or with a K/M/G suffix (default: ${DEFAULT-VALUE})")
    String maxBlobSize;

    @Option(names = "--gc-interval", paramLabel = "DURATION", defaultValue = "1h",
            description = "how often abandoned uploads expire and unreferenced blobs are collected, e.g. 30m, 1h;"
                    + " 0 disables (default: ${DEFAULT-VALUE})")
    String gcInterval;

    @Option(names = "--upload-ttl", paramLabel = "DURATION", defaultValue = "24h",
            description = "an upload session older than this is abandoned (default: ${DEFAULT-VALUE})")
    String uploadTtl;

    @Option(names = "--gc-grace", paramLabel = "DURATION", defaultValue = "1h",
            description = "unreferenced blobs younger than this are kept, their manifest may be on its way"
                    + " (default: ${DEFAULT-VALUE})")
    String gcGrace;

    // Abuse limits (RegistryLimits.DEFAULT holds the same defaults; ServeCommandTest keeps the two in step).
    @Option(names = "--max-uploads-per-publisher", paramLabel = "N", defaultValue = "16",
            description = "open upload sessions one publisher may hold (default: ${DEFAULT-VALUE})")
    int uploadsPerPublisher;

    @Option(names = "--max-uploads", paramLabel = "N", defaultValue = "256",
            description = "open upload sessions in all (default: ${DEFAULT-VALUE})")
    int uploads;

    @Option(names = "--max-staged-per-publisher", paramLabel = "N", defaultValue = "2G",
            description = "bytes one publisher's unfinished uploads may hold (default: ${DEFAULT-VALUE})")
    String stagedPerPublisher;

    @Option(names = "--max-staged", paramLabel = "N", defaultValue = "16G",
            description = "bytes all unfinished uploads may hold (default: ${DEFAULT-VALUE})")
    String staged;

    @Option(names = "--max-failed-logins", paramLabel = "N", defaultValue = "10",
            description = "failed logins allowed per client address and per account per minute, then 429"
                    + " (default: ${DEFAULT-VALUE})")
    int failedLogins;

    @Option(names = "--max-token-requests", paramLabel = "N", defaultValue = "120",
            description = "token requests allowed per client address per minute, then 429 (default: ${DEFAULT-VALUE})")
    int tokenRequests;

    @Option(names = "--analysis-threads", paramLabel = "N", defaultValue = "1",
            description = "threads analysing pushed objects for the web UI and the permission check"
                    + " (default: ${DEFAULT-VALUE})")
    int analysisThreads;

    @Option(names = "--analysis-budget", paramLabel = "DURATION", defaultValue = "20s",
            description = "time one object's analysis may take before it is shown as too large"
                    + " (default: ${DEFAULT-VALUE})")
    String analysisBudget;

    @Option(names = "--analysis-max-instructions", paramLabel = "N", defaultValue = "100000",
            description = "largest object analysed, in instructions over all programs (default: ${DEFAULT-VALUE})")
    int analysisInstructions;

    @Option(names = "--blobs", paramLabel = "DIR|oci+http(s)://HOST[:PORT]/PREFIX",
            description = "where blob bytes are kept: a directory, or a repository of an OCI registry (credentials from"
                    + " BPFSTORE_BLOBS_USERNAME/BPFSTORE_BLOBS_PASSWORD or a bpfstore login to that registry);"
                    + " default: blobs/ in the data directory; required with --database (a store every instance shares)")
    String blobs;

    @Option(names = "--access-log", paramLabel = "FILE|-",
            description = "write one line per request in Common Log Format to FILE (appended) or - for standard error")
    String accessLog;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "on SIGTERM/SIGINT, how long requests in flight (uploads) may take to finish while new"
                    + " ones are refused (default: ${DEFAULT-VALUE})")
    String drainTimeout;

    /** Environment variables with the blob store registry's credentials (they win over a saved login). */
    static final String BLOBS_USERNAME_ENV = "BPFSTORE_BLOBS_USERNAME";
    /** See {@link #BLOBS_USERNAME_ENV}. */
    static final String BLOBS_PASSWORD_ENV = "BPFSTORE_BLOBS_PASSWORD";

    /** Where blobs go, per {@code --blobs}. */
    BlobLocation blobLocation(Map<String, String> env) {
        return blobLocation(blobs, env);
    }

    /**
     * Where blobs go for a {@code --blobs} value (null: the data directory), with the credentials of an OCI
     * registry from {@link #BLOBS_USERNAME_ENV}/{@link #BLOBS_PASSWORD_ENV}, else from a saved login.
     */
    static BlobLocation blobLocation(String spec, Map<String, String> env) {
        if (spec == null) {
            return BlobLocation.IN_DATA_DIRECTORY;
        }
        try {
            return BlobLocation.parse(spec, registry -> {
                String user = env.get(BLOBS_USERNAME_ENV);
                if (user != null && !user.isBlank()) {
                    return Optional.of(new Credentials(user, env.getOrDefault(BLOBS_PASSWORD_ENV, "")));
                }
                return StoreConfig.locate(env).credentials(registry);
            });
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--blobs: " + e.getMessage());
        }
    }

    /** The abuse limits the flags set. */
    RegistryLimits limits() {
        Duration budget = parseDuration("--analysis-budget", analysisBudget);
        try {
            return RegistryLimits.DEFAULT
                    .withUploads(uploadsPerPublisher, uploads, parseSize("--max-staged-per-publisher", stagedPerPublisher),
                            parseSize("--max-staged", staged))
                    .withRates(failedLogins, tokenRequests)
                    .withAnalysis(analysisThreads, budget, analysisInstructions);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("every registry limit must be a positive number (--max-*, --analysis-*)");
        }
    }

    @Override
    public Integer call() throws Exception {
        Matcher m = LISTEN.matcher(listen);
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            throw UserError.usage("--listen: expected ADDR:PORT (e.g. 127.0.0.1:5000), got \"" + listen + "\"");
        }
        String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        if (database != null && blobs == null) {
            throw UserError.usage("--database needs --blobs DIR|oci+http(s)://HOST/PREFIX, the blob store the instances"
                    + " share");
        }
        BlobLocation blobLocation = blobLocation(System.getenv());
        RegistryStorage storage = RegistryStorageOptions.storage(data, database, blobLocation);
        // the config's data directory is read only by the embedded start; the scaled storage is passed to start itself
        RegistryConfig config = RegistryConfig.of(host, Integer.parseInt(m.group(2)), data != null ? data : Path.of("."))
                .withPrivatePull(privatePull).withMaxBlobSize(parseSize("--max-blob-size", maxBlobSize))
                .withLimits(limits()).withMutableVersions(mutableVersions)
                .withMaintenance(new MaintenancePolicy(parseDuration("--gc-interval", gcInterval),
                        parseDuration("--upload-ttl", uploadTtl), parseDuration("--gc-grace", gcGrace)))
                .withBlobs(blobLocation)
                .withOperations(new Operations(Optional.ofNullable(accessLog),
                        parseDuration("--drain-timeout", drainTimeout)));
        JETTY_LOG.setLevel(Level.WARNING);

        RegistryServer server;
        try {
            server = RegistryServer.start(config, storage);
        } catch (MetadataException e) {
            throw new UserError("cannot open the registry's storage (" + storage.describe() + "): " + e.getMessage(), e);
        } catch (BindException e) {
            throw new UserError("cannot listen on " + listen + ": " + e.getMessage(), e);
        } catch (BlobStoreUnavailableException e) {
            throw new UserError(e.getMessage(), e);
        } catch (java.io.IOException e) {
            if (e.getCause() instanceof BindException b) {
                throw new UserError("cannot listen on " + listen + ": " + b.getMessage(), e);
            }
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        // SIGINT and SIGTERM run shutdown hooks: this one stops the server (finishing requests in flight, closing
        // the database so its WAL is checkpointed) before the JVM exits with the signal's status (130/143).
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println("bpfstore registry stopping");
            out.flush();
            server.close();
            stopped.countDown();
        }, "registry-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("bpfstore registry listening on " + server.uri() + " (" + storage.describe()
                + (privatePull ? ", private" : "") + ")");
        out.flush();
        server.join();
        stopped.await();
        return 0;
    }

    /** Parses {@code 0}, {@code 90s}, {@code 30m}, {@code 1h}, {@code 7d}. */
    static Duration parseDuration(String option, String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw UserError.usage(option + ": expected a duration such as 30s, 15m, 1h or 7d, got \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        if (n > 100_000) {
            throw UserError.usage(option + ": " + text + " is implausibly long");
        }
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> {
                if (n != 0) {
                    throw UserError.usage(option + ": \"" + text + "\" needs a unit: s, m, h or d");
                }
                yield Duration.ZERO;
            }
        };
    }

    /** Parses {@code 1048576}, {@code 512M}, {@code 2g} given to {@code option}. */
    static long parseSize(String option, String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw UserError.usage(option + ": expected a byte count with an optional K, M or G suffix, got \""
                    + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
            throw UserError.usage(option + ": out of range: " + text);
        }
        return n << shift;
    }
}
