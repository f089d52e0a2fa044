package io.bpfstore.cli;

import io.bpfstore.registry.server.Operations;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.server.RegistryStorage;
import java.io.PrintWriter;
import java.net.BindException;
import java.time.Duration;
import java.util.Locale;
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
        description = "Run the package registry on ADDR:PORT with its state in a data directory (--data) or in"
                + " PostgreSQL and a shared blob store (--database, --blobs).")
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

    @CommandLine.Mixin
    RegistryStorageOptions.Served storage = new RegistryStorageOptions.Served();

    @Option(names = "--private", description = "require an authenticated publisher to pull (default: anonymous pull)")
    boolean privatePull;

    @Option(names = "--mutable-versions", defaultValue = "false",
            description = "let a publisher push a published version again with other content (default: ${DEFAULT-VALUE}:"
                    + " published versions are immutable; fixes come as new versions, mistakes are yanked)")
    boolean mutableVersions;

    @Option(names = "--max-blob-size", paramLabel = "N", defaultValue = "512M",
            description = "largest blob accepted, in bytes, or with a K/M/G suffix (default: ${DEFAULT-VALUE})")
    String maxBlobSize;

    @CommandLine.Mixin
    MaintenanceOptions maintenance = new MaintenanceOptions();

    @CommandLine.Mixin
    RegistryLimitOptions limits = new RegistryLimitOptions();

    @Option(names = "--access-log", paramLabel = "FILE|-",
            description = "write one line per request in Common Log Format to FILE (appended) or - for standard error")
    String accessLog;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "on SIGTERM/SIGINT, how long requests in flight (uploads) may take to finish while new"
                    + " ones are refused (default: ${DEFAULT-VALUE})")
    String drainTimeout;

    @Override
    public Integer call() throws Exception {
        Matcher m = LISTEN.matcher(listen);
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            throw UserError.usage("--listen: expected ADDR:PORT (e.g. 127.0.0.1:5000), got \"" + listen + "\"");
        }
        String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        RegistryStorage where = storage.storage(System.getenv());
        RegistryConfig config = RegistryConfig.of(host, Integer.parseInt(m.group(2)), where)
                .withPrivatePull(privatePull).withMaxBlobSize(parseSize("--max-blob-size", maxBlobSize))
                .withLimits(limits.limits()).withMutableVersions(mutableVersions)
                .withMaintenance(maintenance.policy())
                .withOperations(new Operations(Optional.ofNullable(accessLog),
                        parseDuration("--drain-timeout", drainTimeout)));
        JETTY_LOG.setLevel(Level.WARNING);

        RegistryServer server;
        try {
            server = RegistryStorageOptions.Served.open(where, () -> RegistryServer.start(config));
        } catch (BindException e) {
            throw new UserError("cannot listen on " + listen + ": " + e.getMessage(), e);
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
        out.println("bpfstore registry listening on " + server.uri() + " (" + where.describe()
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
