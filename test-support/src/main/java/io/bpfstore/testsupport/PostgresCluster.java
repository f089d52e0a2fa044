package io.bpfstore.testsupport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster (Debian's {@code postgresql} package) for tests: initdb in a fresh directory
 * under {@code /tmp}, the postmaster on a free loopback port, password authentication. No system service is
 * used. initdb and postgres refuse to run as root, so under root they run as the {@code postgres} system user
 * the package creates ({@code runuser}), in a directory owned by it.
 *
 * <p>One cluster serves a test JVM ({@link #shared()}); every test takes a database of its own
 * ({@link #newDatabase()}). The cluster is stopped and its directory removed by a shutdown hook, and clusters
 * left by a JVM that was killed are reaped at the next start (their directories carry the owner's pid).
 * Without PostgreSQL binaries the tests are skipped with a loud message; CI installs them (scripts/setup).
 */
public final class PostgresCluster implements AutoCloseable {
    private static final String PREFIX = "bpfstore-pg-";
    private static final String USER = "bpfstore";
    private static final String SYSTEM_USER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster shared;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final String password;

    private PostgresCluster(Path bin, Path dir, int port, String password) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.password = password;
    }

    /** The JVM's cluster, started on first use; the test is skipped (loudly) if PostgreSQL is not installed. */
    public static synchronized PostgresCluster shared() {
        if (shared == null) {
            Path bin = binaries();
            reapLeftovers(bin);
            PostgresCluster cluster = start(bin);
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "postgres-cluster-stop"));
            shared = cluster;
        }
        return shared;
    }

    /** Whether PostgreSQL's server binaries are installed. */
    public static boolean installed() {
        return findBinaries() != null;
    }

    /** A fresh empty database owned by the cluster's user; returns its name. */
    public String newDatabase() {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        asPostgres(bin.resolve("createdb").toString(), "-h", dir.resolve("socket").toString(), "-p",
                Integer.toString(port), "-U", USER, "-O", USER, name).requireSuccess();
        return name;
    }

    /** {@code postgresql://bpfstore@127.0.0.1:PORT/DB} for a database of this cluster (no password in it). */
    public String url(String database) {
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
    }

    /** The password of the cluster's user (give it as PGPASSWORD). */
    public String password() {
        return password;
    }

    /** The port the postmaster listens on. */
    public int port() {
        return port;
    }

    /** Where the server binaries are ({@code initdb}, {@code postgres}, {@code pg_ctl}, {@code psql}). */
    public Path bin() {
        return bin;
    }

    /** Runs SQL through {@code psql} on {@code database} as the cluster's user and returns its unaligned output. */
    public String psql(String database, String sql) {
        ToolResult r = asPostgres(bin.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", dir.resolve("socket").toString(), "-p", Integer.toString(port), "-U", USER, "-d", database,
                "-c", sql);
        r.requireSuccess();
        return r.out().strip();
    }

    private static Path binaries() {
        Path bin = findBinaries();
        if (bin == null) {
            String message = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): the PostgreSQL"
                    + " tests are SKIPPED. Install Debian's postgresql package (scripts/setup does).";
            System.err.println("*** " + message);
            Assumptions.abort(message);
        }
        return bin;
    }

    /** The newest {@code /usr/lib/postgresql/N/bin} with initdb (not /usr/local/bin links: CI lacks them). */
    private static Path findBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(PostgresCluster::majorVersion)).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static PostgresCluster start(Path bin) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), PREFIX);
            Files.writeString(dir.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
            Path data = dir.resolve("data");
            Path socket = Files.createDirectories(dir.resolve("socket"));
            String password = "pw" + Long.toHexString(new java.security.SecureRandom().nextLong());
            Path pwfile = dir.resolve("pwfile");
            Files.writeString(pwfile, password + "\n");
            chownToPostgres(dir);
            chownToPostgres(socket);
            chownToPostgres(pwfile);
            asPostgres(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
                    "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
                    .requireSuccess();
            int port = FreePort.onLoopback();
            ToolResult started = asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + port + " -k " + socket + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                    "start");
            if (!started.succeeded()) {
                String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
                throw new AssertionError("postgres did not start: " + started.combined() + "\n" + log);
            }
            return new PostgresCluster(bin, dir, port, password);
        } catch (IOException | RuntimeException | AssertionError e) {
            if (dir != null) {
                stopAndRemove(bin, dir);
            }
            throw e instanceof AssertionError a ? a : new AssertionError("start PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Stops clusters of earlier test JVMs that died without their shutdown hook, and removes their files. */
    private static void reapLeftovers(Path bin) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/tmp"), PREFIX + "*")) {
            for (Path d : dirs) {
                Path owner = d.resolve("owner.pid");
                long pid;
                try {
                    pid = Long.parseLong(Files.readString(owner).strip());
                } catch (IOException | NumberFormatException e) {
                    // being created right now, or a removal cut short: reap once it is clearly old
                    if (olderThanAnHour(d)) {
                        stopAndRemove(bin, d);
                    }
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                stopAndRemove(bin, d);
            }
        } catch (IOException ignored) {
            // nothing to reap
        }
    }

    private static boolean olderThanAnHour(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toInstant().isBefore(java.time.Instant.now().minusSeconds(3600));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops the postmaster at once (immediate mode: the data is thrown away anyway) and removes the directory,
     * the owner's pid file last, so that a removal cut short is still recognised and reaped later.
     */
    private static void stopAndRemove(Path bin, Path dir) {
        if (Files.exists(dir.resolve("data/postmaster.pid"))) {
            asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "-t", "30", "stop");
        }
        Path owner = dir.resolve("owner.pid");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(owner)).toList()) {
                if (!p.equals(dir)) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(owner);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }

    private static ToolResult asPostgres(String... command) {
        List<String> line = new ArrayList<>();
        if (isRoot()) {
            line.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        }
        line.addAll(List.of(command));
        return ExternalTool.run(Path.of("/tmp"), line);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void chownToPostgres(Path p) throws IOException {
        if (!isRoot()) {
            return;
        }
        UserPrincipalLookupService lookup = p.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(SYSTEM_USER);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(SYSTEM_USER);
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }

    /** Stops the postmaster and removes the cluster's directory. */
    @Override
    public void close() {
        stopAndRemove(bin, dir);
    }
}
