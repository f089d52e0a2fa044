package io.bpfstore.registry.storage.postgres;

import io.bpfstore.registry.bench.SearchCatalog;
import io.bpfstore.registry.packages.PackageRelease;
import io.bpfstore.registry.storage.ManifestRecord;
import io.bpfstore.registry.storage.index.IndexedVersion;
import io.bpfstore.registry.storage.index.PackageTables;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.SemVer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Fills a PostgreSQL registry database with a {@link SearchCatalog} fast, for benchmarks: the rows a push of each
 * version (and the yanks and downloads after it) would leave, computed by the index's own code
 * ({@link PgPackageIndex.SearchRow}, {@link PackageTables#encode}) and written with COPY, the secondary indexes
 * dropped during the load and rebuilt after it. {@link #compareWithPushes} checks a sample against the real write
 * path.
 */
public final class PgBulkIndex {
    private static final String MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";

    private PgBulkIndex() {
    }

    /**
     * The packages in search: a second run measures them as they are. Creates or migrates the schema first
     * (through the store, as a registry's start does).
     */
    public static long visiblePackages(PostgresAddress address, Optional<String> password) throws SQLException {
        PostgresMetadataStore.open(address, password).close();
        try (Connection c = connect(address, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT visible FROM package_stats WHERE id = 0")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Runs ANALYZE on the packages. */
    public static void analyze(PostgresAddress address, Optional<String> password) throws SQLException {
        try (Connection c = connect(address, password); Statement s = c.createStatement()) {
            s.execute("ANALYZE packages");
        }
    }

    /** Loads packages {@code 0..n-1} into an empty database with the schema; prints the steps' times. */
    public static void load(PostgresAddress address, Optional<String> password, int n) throws Exception {
        Instant published = Instant.parse("2026-12-01T00:00:00Z");
        try (Connection c = connect(address, password); Statement s = c.createStatement()) {
            s.execute("SET maintenance_work_mem = '1GB'");
            Map<String, String> indexes = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("""
                    SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
                      AND tablename IN ('packages', 'package_versions', 'manifests', 'tags', 'repositories')
                      AND indexname NOT IN (SELECT conname FROM pg_constraint)""")) {
                while (rs.next()) {
                    indexes.put(rs.getString(1), rs.getString(2));
                }
            }
            for (String index : indexes.keySet()) {
                s.execute("DROP INDEX " + index);
            }
            long t0 = System.nanoTime();
            copy(address, password, n, published);
            long t1 = System.nanoTime();
            s.execute("UPDATE package_stats SET visible = (SELECT count(*) FROM packages WHERE latest IS NOT NULL)");
            s.execute("SELECT setval('packages_id_seq', (SELECT max(id) FROM packages))");
            for (String def : indexes.values()) {
                s.execute(def);
            }
            long t2 = System.nanoTime();
            s.execute("VACUUM (FREEZE, ANALYZE)");
            System.out.printf("loaded %,d packages: COPY %.1f s, indexes %.1f s, VACUUM ANALYZE %.1f s%n", n,
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
        }
    }

    /** The tables a push writes, each with its COPY column list. */
    private enum Table {
        REPOSITORIES("repositories(name)"),
        MANIFESTS("manifests(repo, digest, media_type, content, subject, artifact_type, created_at)"),
        TAGS("tags(repo, tag, digest)"),
        PACKAGES("packages(id, namespace, name, downloads, description, latest, latest_digest, license,"
                + " program_types, search)"),
        VERSIONS("package_versions(package_id, version, digest, metadata, description, license, program_types,"
                + " attach_types, helpers, yanked, published_at, downloads, map_types)");

        final String columns;

        Table(String columns) {
            this.columns = columns;
        }
    }

    private static final int CHUNK = 2000;

    /**
     * COPY into each table on a connection of its own; packages are generated in chunks by several threads (the
     * generator is the slow part), each chunk's rows written whole to each table's stream in turn.
     */
    private static void copy(PostgresAddress address, Optional<String> password, int n, Instant published)
            throws Exception {
        List<Connection> connections = new ArrayList<>();
        Map<Table, CopyIn> copies = new LinkedHashMap<>();
        try {
            for (Table t : Table.values()) {
                Connection c = connect(address, password);
                connections.add(c);
                try (Statement s = c.createStatement()) {
                    s.execute("SET session_replication_role = replica"); // no FK trigger per row
                }
                copies.put(t, c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + t.columns + " FROM STDIN"));
            }
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
                for (int w = 0; w < 4; w++) {
                    workers.add(pool.submit(() -> {
                        for (int from = next.getAndAdd(CHUNK); from < n; from = next.getAndAdd(CHUNK)) {
                            Map<Table, StringBuilder> rows = chunk(from, Math.min(n, from + CHUNK), published);
                            for (Table t : Table.values()) {
                                byte[] bytes = rows.get(t).toString().getBytes(StandardCharsets.UTF_8);
                                CopyIn copy = copies.get(t);
                                synchronized (copy) {
                                    copy.writeToCopy(bytes, 0, bytes.length);
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (var f : workers) {
                    f.get();
                }
            }
            for (Table t : Table.values()) {
                copies.get(t).endCopy();
            }
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    /** The rows of packages {@code from..to-1}, per table, in COPY's text format. */
    private static Map<Table, StringBuilder> chunk(int from, int to, Instant published) {
        Map<Table, StringBuilder> buffers = new LinkedHashMap<>();
        for (Table t : Table.values()) {
            buffers.put(t, new StringBuilder());
        }
        for (int i = from; i < to; i++) {
            SearchCatalog.Package p = SearchCatalog.generate(i);
            long id = i + 1L;
            String repo = p.repository();
            PackageRelease first = p.releases().getFirst();
            row(buffers.get(Table.REPOSITORIES), repo);
            List<IndexedVersion> versions = new ArrayList<>();
            long downloads = 0;
            for (int v = 0; v < p.releases().size(); v++) {
                PackageRelease r = p.releases().get(v);
                Instant at = published.plusSeconds(i * 10L + v);
                row(buffers.get(Table.MANIFESTS), repo, r.digest(), MEDIA_TYPE,
                        "\\x" + HexFormat.of().formatHex(p.manifests().get(v)), null, null,
                        Long.toString(at.toEpochMilli()));
                row(buffers.get(Table.TAGS), repo, r.version(), r.digest());
                row(buffers.get(Table.VERSIONS), Long.toString(id), r.version(), r.digest(), r.metadata(),
                        r.description(), r.license(), PackageTables.encode(r.programTypes()),
                        PackageTables.encode(r.attachTypes()), PackageTables.encode(r.helpers()),
                        p.yanked().get(v) ? "t" : "f", Long.toString(at.toEpochMilli()),
                        Long.toString(p.downloads().get(v)), PackageTables.encode(r.mapTypes()));
                downloads += p.downloads().get(v);
                versions.add(version(r, p.yanked().get(v)));
            }
            versions.sort(Comparator.comparing(IndexedVersion::version).reversed());
            PgPackageIndex.SearchRow s = PgPackageIndex.SearchRow.of(first.namespace(), first.name(), versions);
            row(buffers.get(Table.PACKAGES), Long.toString(id), first.namespace(), first.name(),
                    Long.toString(downloads), s.description(), s.latest(), s.latestDigest(), s.license(),
                    s.programTypes(), s.search());
        }
        return buffers;
    }

    private static IndexedVersion version(PackageRelease r, boolean yanked) {
        return new IndexedVersion(new SemVer(r.version()), r.digest(), yanked, r.description(), r.license(),
                r.programTypes(), r.attachTypes(), r.helpers(), r.mapTypes());
    }

    /** One row in COPY's text format. */
    private static void row(StringBuilder b, String... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append('\t');
            }
            String v = values[i];
            if (v == null) {
                b.append("\\N");
                continue;
            }
            for (int k = 0; k < v.length(); k++) {
                char ch = v.charAt(k);
                switch (ch) {
                    case '\\' -> b.append("\\\\");
                    case '\t' -> b.append("\\t");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    default -> b.append(ch);
                }
            }
        }
        b.append('\n');
    }

    /**
     * Pushes packages {@code ids} through the real write path ({@code putManifest} of each version oldest first,
     * then its yanks and downloads) into the empty database {@code fresh}, and compares every row they left with
     * the bulk-loaded ones in {@code bulk} (all columns but ids and times). Returns the differences, none if equal.
     */
    public static List<String> compareWithPushes(PostgresAddress bulk, PostgresAddress fresh,
                                                 Optional<String> password, List<Integer> ids) throws SQLException {
        try (PostgresMetadataStore store = PostgresMetadataStore.open(fresh, password)) {
            for (int i : ids) {
                SearchCatalog.Package p = SearchCatalog.generate(i);
                for (int v = 0; v < p.releases().size(); v++) {
                    PackageRelease r = p.releases().get(v);
                    store.repositories().putManifest(new ManifestRecord(p.repository(), Digest.parse(r.digest()),
                            MEDIA_TYPE, p.manifests().get(v), Optional.empty(), Optional.empty(), Instant.now()),
                            Optional.of(r.version()), Optional.of(r));
                }
                for (int v = 0; v < p.releases().size(); v++) {
                    PackageRelease r = p.releases().get(v);
                    if (p.yanked().get(v)) {
                        store.packages().setYanked(r.namespace(), r.name(), r.version(), true);
                    }
                    for (long d = 0; d < p.downloads().get(v); d++) {
                        store.packages().countDownload(p.repository(), Digest.parse(r.digest()));
                    }
                }
            }
        }
        List<String> differences = new ArrayList<>();
        try (Connection a = connect(bulk, password); Connection b = connect(fresh, password)) {
            for (int i : ids) {
                String repo = SearchCatalog.generate(i).repository();
                for (String sql : COMPARED) {
                    List<String> expected = rows(b, sql, repo);
                    List<String> actual = rows(a, sql, repo);
                    if (expected.isEmpty() || !expected.equals(actual)) {
                        differences.add(repo + ": " + sql + "\n  push: " + expected + "\n  bulk: " + actual);
                    }
                }
            }
        }
        return differences;
    }

    /** Every row a push leaves for repository {@code ?}, without ids and times. */
    private static final List<String> COMPARED = List.of(
            "SELECT name FROM repositories WHERE name = ?",
            "SELECT repo, digest, media_type, encode(content, 'hex'), subject, artifact_type FROM manifests"
                    + " WHERE repo = ? ORDER BY digest",
            "SELECT repo, tag, digest FROM tags WHERE repo = ? ORDER BY tag",
            "SELECT namespace, name, downloads, description, latest, latest_digest, license, program_types,"
                    + " search::text FROM packages WHERE namespace || '/' || name = ?",
            "SELECT v.version, v.digest, v.metadata, v.description, v.license, v.program_types, v.attach_types,"
                    + " v.helpers, v.yanked, v.downloads, v.map_types FROM package_versions v"
                    + " JOIN packages p ON p.id = v.package_id WHERE p.namespace || '/' || p.name = ? ORDER BY v.version");

    private static List<String> rows(Connection c, String sql, String repo) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, repo);
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int k = 1; k <= columns; k++) {
                        row.add(rs.getString(k));
                    }
                    out.add(row.toString());
                }
            }
        }
        return out;
    }

    private static Connection connect(PostgresAddress address, Optional<String> password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", address.user());
        password.ifPresent(pw -> p.setProperty("password", pw));
        return new org.postgresql.Driver().connect(address.jdbcUrl(), p);
    }
}
