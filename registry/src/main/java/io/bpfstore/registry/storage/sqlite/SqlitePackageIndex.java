package io.bpfstore.registry.storage.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.bpfstore.store.image.Digest;
import io.bpfstore.registry.storage.SearchHit;
import io.bpfstore.registry.storage.SearchPage;
import io.bpfstore.store.image.SearchQuery;
import io.bpfstore.registry.storage.index.IndexedVersion;
import io.bpfstore.registry.storage.index.PackageTables;
import io.bpfstore.registry.storage.index.SqlPackageIndex;
import io.bpfstore.registry.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The package index in SQLite: versions, plus the denormalised search view of each package's latest version. */
final class SqlitePackageIndex extends SqlPackageIndex {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** Word characters as FTS5's unicode61 tokenizer sees them. */
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final int MAX_WORDS = 16;

    SqlitePackageIndex(SqliteDatabase db) {
        super(db);
    }

    /** Recomputes the search view of one package from its versions. */
    @Override
    protected void refresh(Connection c, long id) throws SQLException {
        boolean wasVisible;
        try (PreparedStatement ps = c.prepareStatement("SELECT latest IS NOT NULL FROM packages WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                wasVisible = rs.next() && rs.getInt(1) != 0;
            }
        }
        List<IndexedVersion> rows = PackageTables.versions(c, id);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM package_search WHERE rowid = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        if (rows.isEmpty()) {
            PackageTables.deletePackage(c, id);
            PackageTables.countVisible(c, wasVisible, false);
            return;
        }
        Optional<IndexedVersion> latest = IndexedVersion.latest(rows);
        IndexedVersion shown = latest.orElse(rows.getFirst());
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE packages SET latest = ?, latest_digest = ?, description = ?, license = ?, program_types = ?
                WHERE id = ?""")) {
            ps.setString(1, latest.map(r -> r.version().text()).orElse(null));
            ps.setString(2, latest.map(IndexedVersion::digest).orElse(null));
            ps.setString(3, shown.description());
            ps.setString(4, shown.license());
            ps.setString(5, PackageTables.encode(shown.types()));
            ps.setLong(6, id);
            ps.executeUpdate();
        }
        PackageTables.countVisible(c, wasVisible, latest.isPresent());
        if (latest.isEmpty()) {
            return; // every version yanked: the package leaves search
        }
        IndexedVersion r = latest.get();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO package_search(rowid, namespace, name, description, facets, kinds) "
                        + "SELECT id, namespace, name, description, ?, ? FROM packages WHERE id = ?")) {
            ps.setString(1, String.join(" ", r.facets().stream().map(f -> facetToken(f.kind(), f.value())).toList()));
            ps.setString(2, String.join(" ", r.kinds()));
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    /**
     * Brings a database made by an older registry up to this schema, inside the caller's write transaction: adds
     * {@code package_versions.map_types} (filled from each version's metadata label) and rebuilds
     * {@code package_search} with its {@code kinds} column. Does nothing on a current database.
     */
    void upgrade(Connection c) throws SQLException {
        if (!columns(c, "package_versions").contains("map_types")) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("ALTER TABLE package_versions ADD COLUMN map_types TEXT NOT NULL DEFAULT '[]'");
            }
            record Backfill(long id, String version, List<String> mapTypes) {
            }
            List<Backfill> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT package_id, version, metadata FROM package_versions");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Backfill(rs.getLong(1), rs.getString(2), mapTypesOf(rs.getString(3))));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE package_versions SET map_types = ? WHERE package_id = ? AND version = ?")) {
                for (Backfill row : rows) {
                    ps.setString(1, PackageTables.encode(row.mapTypes()));
                    ps.setLong(2, row.id());
                    ps.setString(3, row.version());
                    ps.executeUpdate();
                }
            }
        }
        if (!columns(c, "package_search").contains("kinds")) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("DROP TABLE package_search");
                st.execute(Schema.SEARCH_TABLE);
            }
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM packages"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            for (long id : ids) {
                refresh(c, id);
            }
        }
    }

    private static List<String> columns(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_table_info(?)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Map types named by a stored metadata label ({@code requirements.map_types} and {@code maps[].type}). */
    private static List<String> mapTypesOf(String metadata) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        try {
            com.fasterxml.jackson.databind.JsonNode meta = JSON.readTree(metadata);
            meta.path("requirements").path("map_types").forEach(t -> {
                if (t.isTextual()) out.add(t.asText().toLowerCase(Locale.ROOT));
            });
            meta.path("maps").forEach(m -> {
                if (m.path("type").isTextual()) out.add(m.path("type").asText().toLowerCase(Locale.ROOT));
            });
        } catch (JsonProcessingException e) {
            // indexed labels were parsed at push; an unreadable one just contributes no map types
        }
        return List.copyOf(out);
    }

    /**
     * One facet as a single FTS5 token: the kind and the hex of the value, so that no character of the value
     * (underscores, dots, spaces in licences) splits it or reaches FTS5 syntax.
     */
    static String facetToken(String kind, String value) {
        return "f" + kind + "x" + HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Ranked in tiers, each by downloads, then namespace and name: first the packages where every word of the text
     * is in the namespace, the name or the kinds (program, attach and map types, helpers), then those where some
     * word is only in the description. Without text there is one tier. Each tier is one FTS5 expression (the
     * second is "matches anywhere NOT matches in the first tier's columns"), counted, and the page is cut across
     * the tiers in order.
     */
    @Override
    public SearchPage search(SearchQuery q) {
        List<String> filters = new ArrayList<>(IndexedVersion.Facet.filters(q).stream()
                .map(f -> facetTerm(f.kind(), f.value())).toList());
        List<Optional<String>> tiers = new ArrayList<>(); // empty: every visible package
        Optional<String> both = Optional.empty(); // what the tiers together match, when there are two
        if (q.text().isPresent() && !q.text().get().isBlank()) {
            Optional<String> words = matchExpression(q.text().get());
            if (words.isEmpty()) {
                return new SearchPage(0, List.of()); // only punctuation: nothing can match
            }
            String named = "{" + NAMED_COLUMNS + "} : (" + words.get() + ")";
            String anywhere = "{" + TEXT_COLUMNS + "} : (" + words.get() + ")";
            tiers.add(Optional.of(and(named, filters)));
            tiers.add(Optional.of("(" + and(anywhere, filters) + ") NOT (" + named + ")"));
            both = Optional.of(and(anywhere, filters));
        } else {
            tiers.add(filters.isEmpty() ? Optional.empty() : Optional.of(String.join(" AND ", filters)));
        }
        long offset = (long) (q.page() - 1) * q.perPage();
        Optional<String> union = both;
        return db.read("search packages", c -> {
            long visible;
            try (PreparedStatement ps = c.prepareStatement("SELECT visible FROM package_stats WHERE id = 0");
                 ResultSet rs = ps.executeQuery()) {
                visible = rs.next() ? rs.getLong(1) : 0;
            }
            long[] counts = new long[tiers.size()];
            long total;
            if (union.isPresent()) {
                // the first tier is a subset of the union: two counts, no NOT to evaluate
                total = count(c, union.get());
                counts[0] = count(c, tiers.get(0).get());
                counts[1] = total - counts[0];
            } else {
                counts[0] = tiers.get(0).isEmpty() ? visible : count(c, tiers.get(0).get());
                total = counts[0];
            }
            List<SearchHit> hits = new ArrayList<>();
            long skip = offset;
            for (int i = 0; i < tiers.size() && hits.size() < q.perPage(); i++) {
                if (skip >= counts[i]) {
                    skip -= counts[i];
                    continue;
                }
                page(c, tiers.get(i), counts[i], visible, skip, q.perPage() - hits.size(), hits);
                skip = 0;
            }
            return new SearchPage(total, hits);
        });
    }

    /** Columns whose words put a package in the first tier. */
    private static final String NAMED_COLUMNS = "namespace name kinds";
    /** Columns a text search looks in. */
    private static final String TEXT_COLUMNS = "namespace name description kinds";

    private static String and(String expression, List<String> filters) {
        List<String> all = new ArrayList<>(filters);
        all.addFirst(expression);
        return String.join(" AND ", all);
    }

    private static long count(Connection c, String match) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM package_search WHERE package_search MATCH ?")) {
            ps.setString(1, match);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Appends up to {@code limit} hits of one tier ({@code matches} packages), ranked, after {@code offset}. */
    private static void page(Connection c, Optional<String> match, long matches, long visible, long offset, int limit,
                             List<SearchHit> into) throws SQLException {
        // Two plans for one page: walk the ranking index and keep rows in the matching set (cost grows with
        // offset+limit divided by the share of packages that match), or fetch every match and sort (cost
        // grows with the number of matches). The count just taken tells which is cheaper.
        boolean walkRanking = match.isEmpty() || (double) matches * matches >= (double) (offset + limit) * visible;
        String from = walkRanking ? "packages p INDEXED BY packages_rank" : "packages p";
        String condition = match.isEmpty() ? "p.latest IS NOT NULL" : "p.latest IS NOT NULL AND p.id IN "
                + "(SELECT rowid FROM package_search WHERE package_search MATCH ?)";
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT %s FROM %s WHERE %s
                ORDER BY p.downloads DESC, p.namespace, p.name LIMIT ? OFFSET ?"""
                .formatted(PackageTables.HIT_COLUMNS, from, condition))) {
            int at = 1;
            if (match.isPresent()) {
                ps.setString(at++, match.get());
            }
            ps.setInt(at++, limit);
            ps.setLong(at, offset);
            into.addAll(Jdbc.rows(ps, PackageTables::hit));
        }
    }

    /**
     * An FTS5 expression requiring every word of {@code text} as a prefix. Each word is double-quoted, and words
     * contain only letters and digits, so no FTS5 syntax from the user survives.
     */
    static Optional<String> matchExpression(String text) {
        Matcher m = WORD.matcher(text);
        List<String> words = new ArrayList<>();
        while (m.find() && words.size() < MAX_WORDS) {
            words.add("\"" + m.group().toLowerCase(Locale.ROOT) + "\"*");
        }
        return words.isEmpty() ? Optional.empty() : Optional.of(String.join(" AND ", words));
    }

    private static String facetTerm(String kind, String value) {
        return "facets : \"" + facetToken(kind, value) + "\"";
    }

    @Override
    public void countDownload(String repository, Digest digest) {
        String[] parts = repository.split("/");
        if (parts.length != 2) {
            return;
        }
        db.write("count download", c -> {
            Optional<Long> id = lockPackage(c, parts[0], parts[1]);
            if (id.isEmpty()) {
                return null;
            }
            int n;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE package_versions SET downloads = downloads + 1 WHERE package_id = ? AND digest = ?")) {
                ps.setLong(1, id.get());
                ps.setString(2, digest.toString());
                n = ps.executeUpdate();
            }
            if (n > 0) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE packages SET downloads = downloads + ? WHERE id = ?")) {
                    ps.setInt(1, n);
                    ps.setLong(2, id.get());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** The package's id: SQLite's one writer already keeps other transactions from changing the package. */
    @Override
    protected Optional<Long> lockPackage(Connection c, String namespace, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM packages WHERE namespace = ? AND name = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }
}
