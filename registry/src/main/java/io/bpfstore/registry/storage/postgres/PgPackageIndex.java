package io.bpfstore.registry.storage.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.registry.packages.PackageRelease;
import io.bpfstore.registry.storage.MetadataException;
import io.bpfstore.registry.storage.PackageIndex;
import io.bpfstore.registry.storage.PackageRecord;
import io.bpfstore.registry.storage.SearchHit;
import io.bpfstore.registry.storage.SearchPage;
import io.bpfstore.registry.storage.VersionRecord;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.SearchQuery;
import io.bpfstore.store.image.SemVer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The package index in PostgreSQL: versions, and per package a denormalised row describing its latest version
 * with a {@code tsvector} for search ({@link PgSearchTerms} builds both sides). Ranking is, as in the embedded
 * index, in tiers (see {@link #search}) and within a tier {@code ORDER BY downloads DESC, namespace, name}.
 */
final class PgPackageIndex implements PackageIndex {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final String VERSION_COLUMNS = "version, digest, metadata, yanked, published_at, downloads";

    private final PgDatabase db;

    PgPackageIndex(PgDatabase db) {
        this.db = db;
    }

    /** Adds or replaces a version inside the caller's write transaction. */
    void index(Connection c, PackageRelease r, Instant now) throws SQLException {
        Pg.update(c, "INSERT INTO packages(namespace, name) VALUES (?, ?) ON CONFLICT DO NOTHING", r.namespace(),
                r.name());
        long id = lockPackage(c, r.namespace(), r.name()).orElseThrow();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO package_versions(package_id, version, digest, metadata, description, license,
                  program_types, attach_types, helpers, published_at, map_types)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(package_id, version) DO UPDATE SET digest = excluded.digest,
                  metadata = excluded.metadata, description = excluded.description, license = excluded.license,
                  program_types = excluded.program_types, attach_types = excluded.attach_types,
                  helpers = excluded.helpers, map_types = excluded.map_types""")) {
            ps.setLong(1, id);
            ps.setString(2, r.version());
            ps.setString(3, r.digest());
            ps.setString(4, r.metadata());
            ps.setString(5, r.description());
            ps.setString(6, r.license());
            ps.setString(7, encode(r.programTypes()));
            ps.setString(8, encode(r.attachTypes()));
            ps.setString(9, encode(r.helpers()));
            ps.setLong(10, now.toEpochMilli());
            ps.setString(11, encode(r.mapTypes()));
            ps.executeUpdate();
        }
        refresh(c, id);
    }

    /** Removes the versions a deleted manifest published, inside the caller's write transaction. */
    void removeVersions(Connection c, String repository, Digest digest) throws SQLException {
        String[] parts = repository.split("/");
        if (parts.length != 2) {
            return;
        }
        Optional<Long> id = lockPackage(c, parts[0], parts[1]);
        if (id.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM package_versions WHERE package_id = ? AND digest = ?")) {
            ps.setLong(1, id.get());
            ps.setString(2, digest.toString());
            ps.executeUpdate();
        }
        refresh(c, id.get());
    }

    /**
     * The package's id, its row locked until the transaction ends: every change of a package's versions and its
     * search row runs one at a time, whichever instance makes it.
     */
    private static Optional<Long> lockPackage(Connection c, String namespace, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM packages WHERE namespace = ? AND name = ? FOR UPDATE")) {
            ps.setString(1, namespace);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private record Row(SemVer version, String digest, boolean yanked, String description, String license,
                       List<String> types, List<String> hooks, List<String> helpers, List<String> mapTypes) {
        /** Program types, attach types, helpers and map types, each once, in order: the kinds text searches. */
        List<String> kinds() {
            java.util.TreeSet<String> all = new java.util.TreeSet<>(types);
            all.addAll(hooks);
            all.addAll(helpers);
            all.addAll(mapTypes);
            return List.copyOf(all);
        }
    }

    /** Recomputes the search row of one package from its versions; the caller holds the package's row lock. */
    static void refresh(Connection c, long id) throws SQLException {
        boolean wasVisible;
        String namespace;
        String name;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT latest IS NOT NULL, namespace, name FROM packages WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                wasVisible = rs.getBoolean(1);
                namespace = rs.getString(2);
                name = rs.getString(3);
            }
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT version, digest, yanked, description, license, program_types, attach_types, helpers,
                  map_types FROM package_versions WHERE package_id = ?""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String v = rs.getString(1);
                    if (SemVer.isPackageVersion(v)) {
                        rows.add(new Row(new SemVer(v), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                                rs.getString(5), decode(rs.getString(6)), decode(rs.getString(7)),
                                decode(rs.getString(8)), decode(rs.getString(9))));
                    }
                }
            }
        }
        if (rows.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM packages WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            countVisible(c, wasVisible, false);
            return;
        }
        rows.sort(Comparator.comparing(Row::version).reversed());
        // As the embedded index (and crates.io, npm): the newest stable release; a pre-release only if no other.
        Optional<Row> latest = rows.stream().filter(r -> !r.yanked() && !r.version().isPrerelease())
                .findFirst().or(() -> rows.stream().filter(r -> !r.yanked()).findFirst());
        Row shown = latest.orElse(rows.getFirst());
        String search = null;
        if (latest.isPresent()) {
            Row r = latest.get();
            search = PgSearchTerms.document(List.of(namespace, name), r.kinds(), r.description(),
                    PgSearchTerms.facets(r.types(), r.hooks(), r.helpers(), r.license()));
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE packages SET latest = ?, latest_digest = ?, description = ?, license = ?, program_types = ?,
                  search = ?::tsvector
                WHERE id = ?""")) {
            ps.setString(1, latest.map(r -> r.version().text()).orElse(null));
            ps.setString(2, latest.map(Row::digest).orElse(null));
            ps.setString(3, shown.description());
            ps.setString(4, shown.license());
            ps.setString(5, encode(shown.types()));
            ps.setString(6, search);
            ps.setLong(7, id);
            ps.executeUpdate();
        }
        countVisible(c, wasVisible, latest.isPresent());
    }

    private static void countVisible(Connection c, boolean was, boolean is) throws SQLException {
        if (was != is) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE package_stats SET visible = visible + ? WHERE id = 0")) {
                ps.setInt(1, is ? 1 : -1);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Ranked in tiers ({@link PgSearchTerms#tiers}), each by downloads, then namespace and name: with text, the
     * packages where every word is in the namespace, the name or the kinds (program, attach and map types,
     * helpers) come before those where some word is only in the description, as in the embedded index. Each tier
     * is counted, and the page is cut across the tiers in order.
     */
    @Override
    public SearchPage search(SearchQuery q) {
        List<String> facets = new ArrayList<>();
        q.programType().filter(v -> !v.isBlank()).ifPresent(v -> facets.add(PgSearchTerms.facet("type",
                v.toLowerCase(Locale.ROOT))));
        q.hook().filter(v -> !v.isBlank()).ifPresent(v -> facets.add(PgSearchTerms.facet("hook",
                v.toLowerCase(Locale.ROOT))));
        q.helper().filter(v -> !v.isBlank()).ifPresent(v -> facets.add(PgSearchTerms.facet("helper", v)));
        q.license().filter(v -> !v.isBlank()).ifPresent(v -> facets.add(PgSearchTerms.facet("license",
                v.toLowerCase(Locale.ROOT))));
        List<String> words = q.text().map(PgSearchTerms::queryWords).orElse(List.of());
        if (q.text().isPresent() && !q.text().get().isBlank() && words.isEmpty()) {
            return new SearchPage(0, List.of()); // only punctuation: nothing can match
        }
        List<Optional<String>> tiers = PgSearchTerms.tiers(words, facets);
        long offset = (long) (q.page() - 1) * q.perPage();
        return db.read("search packages", c -> {
            long[] counts = new long[tiers.size()];
            long total = 0;
            for (int t = 0; t < tiers.size(); t++) {
                Optional<String> match = tiers.get(t);
                String sql = match.isEmpty() ? "SELECT visible::text FROM package_stats WHERE id = 0"
                        : "SELECT count(*)::text FROM packages WHERE latest IS NOT NULL AND search @@ ?::tsquery";
                counts[t] = Long.parseLong(Pg.string(c, sql, match.stream().toArray(String[]::new)).orElse("0"));
                total += counts[t];
            }
            List<SearchHit> hits = new ArrayList<>();
            long skip = offset;
            for (int t = 0; t < tiers.size() && hits.size() < q.perPage(); t++) {
                if (skip < counts[t]) {
                    page(c, tiers.get(t), skip, q.perPage() - hits.size(), hits);
                }
                skip = Math.max(0, skip - counts[t]);
            }
            return new SearchPage(total, hits);
        });
    }

    /**
     * Appends up to {@code limit} hits of one tier, ranked, after {@code offset}; the planner chooses between
     * walking the ranking index and sorting the matches (the two plans the embedded index chooses between by hand).
     */
    private static void page(Connection c, Optional<String> match, long offset, int limit, List<SearchHit> into)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT namespace, name, latest, description, license, program_types, downloads, latest_digest
                FROM packages WHERE latest IS NOT NULL %s
                ORDER BY downloads DESC, namespace, name LIMIT ? OFFSET ?"""
                .formatted(match.isEmpty() ? "" : "AND search @@ ?::tsquery"))) {
            int i = 1;
            if (match.isPresent()) {
                ps.setString(i++, match.get());
            }
            ps.setInt(i++, limit);
            ps.setLong(i, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.add(new SearchHit(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), decode(rs.getString(6)), rs.getLong(7), rs.getString(8)));
                }
            }
        }
    }

    @Override
    public Optional<PackageRecord> find(String namespace, String name) {
        return db.read("find package", c -> {
            String description;
            String latest;
            long downloads;
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, description, latest, downloads FROM packages WHERE namespace = ? AND name = ?")) {
                ps.setString(1, namespace);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<PackageRecord>empty();
                    }
                    id = rs.getLong(1);
                    description = rs.getString(2);
                    latest = rs.getString(3);
                    downloads = rs.getLong(4);
                }
            }
            List<VersionRecord> versions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + VERSION_COLUMNS
                    + " FROM package_versions WHERE package_id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        versions.add(versionRecord(rs));
                    }
                }
            }
            versions.sort(Comparator.comparing((VersionRecord v) -> new SemVer(v.version())).reversed());
            return Optional.of(new PackageRecord(namespace, name, description, Optional.ofNullable(latest), downloads,
                    versions));
        });
    }

    private static VersionRecord versionRecord(ResultSet rs) throws SQLException {
        return new VersionRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                Instant.ofEpochMilli(rs.getLong(5)), rs.getLong(6));
    }

    @Override
    public Optional<VersionRecord> version(String namespace, String name, String version) {
        return db.read("find package version", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM package_versions"
                    + " WHERE package_id = (SELECT id FROM packages WHERE namespace = ? AND name = ?)"
                    + " AND version = ?")) {
                Pg.bind(ps, List.of(namespace, name, version));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(versionRecord(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean setYanked(String namespace, String name, String version, boolean yanked) {
        return db.write("yank package version", c -> {
            Optional<Long> id = lockPackage(c, namespace, name);
            if (id.isEmpty()) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE package_versions SET yanked = ? WHERE package_id = ? AND version = ?")) {
                ps.setBoolean(1, yanked);
                ps.setLong(2, id.get());
                ps.setString(3, version);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            refresh(c, id.get());
            return true;
        });
    }

    @Override
    public void countDownload(String repository, Digest digest) {
        String[] parts = repository.split("/");
        if (parts.length != 2) {
            return;
        }
        db.write("count download", c -> {
            // the package row first, then its versions: the order index() and refresh() lock them in
            Optional<String> id;
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE packages p SET downloads = p.downloads
                      + (SELECT count(*) FROM package_versions v WHERE v.package_id = p.id AND v.digest = ?)
                    WHERE p.namespace = ? AND p.name = ? RETURNING p.id::text""")) {
                Pg.bind(ps, List.of(digest.toString(), parts[0], parts[1]));
                List<String> ids = Pg.strings(ps);
                id = ids.isEmpty() ? Optional.empty() : Optional.of(ids.getFirst());
            }
            if (id.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE package_versions SET downloads = downloads + 1 WHERE package_id = ? AND digest = ?")) {
                    ps.setLong(1, Long.parseLong(id.get()));
                    ps.setString(2, digest.toString());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<String> packagesIn(List<String> namespaces) {
        if (namespaces.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", Collections.nCopies(namespaces.size(), "?"));
        return db.read("list packages", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT namespace || '/' || name FROM packages"
                    + " WHERE namespace IN (" + marks + ") ORDER BY namespace, name")) {
                Pg.bind(ps, namespaces);
                return Pg.strings(ps);
            }
        });
    }

    private static String encode(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new MetadataException("encode list", e);
        }
    }

    private static List<String> decode(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new MetadataException("decode list", e);
        }
    }
}
