package io.bpfstore.registry.storage.postgres;

import io.bpfstore.registry.storage.SearchHit;
import io.bpfstore.registry.storage.SearchPage;
import io.bpfstore.registry.storage.index.IndexedVersion;
import io.bpfstore.registry.storage.index.PackageTables;
import io.bpfstore.registry.storage.index.SqlPackageIndex;
import io.bpfstore.registry.storage.jdbc.Jdbc;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.SearchQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The package index in PostgreSQL: versions, and per package a denormalised row describing its latest version
 * with a {@code tsvector} for search ({@link PgSearchTerms} builds both sides). Ranking is, as in the embedded
 * index, in tiers (see {@link #search}) and within a tier {@code ORDER BY downloads DESC, namespace, name}.
 */
final class PgPackageIndex extends SqlPackageIndex {

    private final PgSearchStats stats = new PgSearchStats();
    private final long capFloor;
    private final long capCeiling;

    PgPackageIndex(PgDatabase db) {
        this(db, CAP_FLOOR, Long.MAX_VALUE);
    }

    /**
     * An index whose capped counts stop at {@link #cap} clamped to {@code capFloor..capCeiling} (tests set small
     * caps so that every plan runs on a small catalog).
     */
    PgPackageIndex(PgDatabase db, long capFloor, long capCeiling) {
        super(db);
        this.capFloor = capFloor;
        this.capCeiling = capCeiling;
    }

    /**
     * The package's id, its row locked until the transaction ends: every change of a package's versions and its
     * search row runs one at a time, whichever instance makes it.
     */
    @Override
    protected Optional<Long> lockPackage(Connection c, String namespace, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM packages WHERE namespace = ? AND name = ? FOR UPDATE")) {
            ps.setString(1, namespace);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /**
     * The search columns of a {@code packages} row, as {@link #refresh} writes them.
     *
     * @param latest       the latest version (NULL: not in search)
     * @param latestDigest its manifest digest
     * @param description  the description shown (of the latest version, else of the newest)
     * @param license      its licence
     * @param programTypes its program types as a JSON list
     * @param search       the {@code tsvector} literal (NULL when not in search)
     */
    record SearchRow(String latest, String latestDigest, String description, String license, String programTypes,
                     String search) {
        /** The row of a package with these versions (newest first, at least one). */
        static SearchRow of(String namespace, String name, List<IndexedVersion> newestFirst) {
            Optional<IndexedVersion> latest = IndexedVersion.latest(newestFirst);
            IndexedVersion shown = latest.orElse(newestFirst.getFirst());
            return new SearchRow(latest.map(r -> r.version().text()).orElse(null),
                    latest.map(IndexedVersion::digest).orElse(null), shown.description(), shown.license(),
                    PackageTables.encode(shown.types()),
                    latest.map(r -> PgSearchTerms.document(List.of(namespace, name), r.kinds(), r.description(),
                            PgSearchTerms.facets(r.facets()))).orElse(null));
        }

        boolean visible() {
            return latest != null;
        }
    }

    /** Recomputes the search row of one package from its versions; the caller holds the package's row lock. */
    @Override
    protected void refresh(Connection c, long id) throws SQLException {
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
        List<IndexedVersion> versions = PackageTables.versions(c, id);
        if (versions.isEmpty()) {
            PackageTables.deletePackage(c, id);
            PackageTables.countVisible(c, wasVisible, false);
            return;
        }
        SearchRow row = SearchRow.of(namespace, name, versions);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE packages SET latest = ?, latest_digest = ?, description = ?, license = ?, program_types = ?,
                  search = ?::tsvector
                WHERE id = ?""")) {
            ps.setString(1, row.latest());
            ps.setString(2, row.latestDigest());
            ps.setString(3, row.description());
            ps.setString(4, row.license());
            ps.setString(5, row.programTypes());
            ps.setString(6, row.search());
            ps.setLong(7, id);
            ps.executeUpdate();
        }
        PackageTables.countVisible(c, wasVisible, row.visible());
    }

    /**
     * The least cap of a capped count: a capped count that runs counts a search with fewer matches exactly (a
     * few thousand rows at most).
     */
    static final long CAP_FLOOR = 5_000;

    /**
     * What reading one row costs (a heap visit in the ranking index's order and a {@code ts_match_vq} test of its
     * {@code tsvector}, ~1.3 KB) in GIN entries read into a bitmap: measured on the 1M-package benchmark's
     * cluster, 12–20 µs against 0.5–0.6 µs (docs/benchmarks.md).
     */
    private static final double TIDS_PER_ROW = 25;

    /**
     * A capped count estimated to read at most this share of the least cap's rows, or any in a registry of at
     * most that many packages, runs first whatever a walk would cost: a few milliseconds, and its total is exact
     * (so a small registry always counts exactly, as the embedded index does).
     */
    private static final double CHEAP_COUNT = 0.2;

    /**
     * The GIN lookup of a capped count, and what it costs in rows read.
     *
     * @param terms the terms looked up in the GIN index (the rest of the match is tested per row)
     * @param rows  the estimated cost: GIN entries read (in {@link #TIDS_PER_ROW}) and rows visited until the cap
     */
    private record Lookup(List<PgSearchTerms.Term> terms, double rows) {
    }

    /**
     * The cheaper GIN lookup for a capped count of {@code match} (requiring {@code required}): the terms GIN reads
     * cheaply ({@link PgSearchStats#lookedUp}: exact lexemes and rare prefixes), the rest tested per row; or every
     * term, common prefixes too (every entry of each read), when that leaves a bitmap of only the matches where
     * the first would visit many rows that fail the per-row test (two common words that seldom come together).
     * A lookup's cost: the entries it reads (each prefix's all, the exact lexemes' about the rarest's) and the
     * rows it visits until the cap is met (all of them if the lookup is the whole match; else as many as the
     * estimated share of matches among the bitmap's rows takes, at most the bitmap: the rarest term's rows).
     */
    private Lookup lookup(Connection c, String match, List<PgSearchTerms.Term> required, double estimate, long cap,
                          long visible) throws SQLException {
        Lookup best = null;
        for (List<PgSearchTerms.Term> terms : List.of(stats.lookedUp(c, required), required)) {
            double read = stats.readShare(c, terms) * visible;
            double bitmap = stats.bitmapShare(c, terms) * visible;
            boolean whole = PgSearchTerms.query(terms).orElseThrow().equals(match);
            double inBitmap = whole ? 1 : Math.min(1, Math.max(estimate, 1) / Math.max(bitmap, 1));
            double rows = read / TIDS_PER_ROW + Math.min(bitmap, cap / inBitmap);
            if (best == null || rows < best.rows()) {
                best = new Lookup(terms, rows);
            }
        }
        return best;
    }

    /** The rows a walk for a page ending at {@code end} reads, about {@code end * visible / matches}. */
    private static double walkRows(double estimate, long end, long visible) {
        return Math.min(visible, (double) end * visible / Math.max(estimate, 1));
    }

    /**
     * The cap of the capped counts of a page ending at {@code end}: {@code sqrt(end * visible)}, where reading
     * the matches (at most the cap) and walking the ranking index (about {@code end * visible / matches}
     * packages, at most the cap when there are at least the cap) cost the same; so every plan reads a bounded
     * number of rows, about the cap, whatever the terms (the embedded index's rule, with the count bounded).
     */
    long cap(long end, long visible) {
        long balanced = (long) Math.ceil(Math.sqrt((double) end * Math.max(visible, 1)));
        return Math.max(1, Math.min(capCeiling, Math.max(capFloor, balanced)));
    }

    /**
     * Ranked in tiers ({@link PgSearchTerms.Tiers}), each by downloads, then namespace and name: with text, the
     * packages where every word is in the namespace, the name or the kinds (program, attach and map types,
     * helpers) come before those where some word is only in the description, as in the embedded index. Every
     * plan reads a bounded number of rows: when a capped count ({@link #probe}, at most {@link #cap} matches
     * read through the GIN index) is estimated ({@link PgSearchStats}) to cost no more than walking the ranking
     * index for the page, it runs first; if there are fewer matches than the cap, they are the exact total and
     * the page, sorted, in one statement. Otherwise (or when they reach the cap) each tier's page is read by
     * {@link #tierPage}, and the total is the estimate ("about") or, when the estimate is below what was
     * counted, the count ("at least"), unless every tier was counted.
     */
    @Override
    public SearchPage search(SearchQuery q) {
        List<String> facets = PgSearchTerms.facets(IndexedVersion.Facet.filters(q));
        List<String> words = q.text().map(PgSearchTerms::queryWords).orElse(List.of());
        if (q.text().isPresent() && !q.text().get().isBlank() && words.isEmpty()) {
            return new SearchPage(0, List.of()); // only punctuation: nothing can match
        }
        PgSearchTerms.Tiers tiers = PgSearchTerms.Tiers.of(words, facets);
        long offset = (long) (q.page() - 1) * q.perPage();
        int limit = q.perPage();
        return db.read("search packages", c -> {
            // the plans are chosen here: the GIN index or the ranking index, never a sequential scan (a prepared
            // statement's generic plan cannot tell a rare word from a common one)
            Jdbc.update(c, "SET LOCAL enable_seqscan = off");
            long visible = Long.parseLong(Jdbc.string(c, "SELECT visible::text FROM package_stats WHERE id = 0")
                    .orElse("0"));
            Optional<String> union = tiers.union();
            List<SearchHit> hits = new ArrayList<>();
            if (union.isEmpty()) {
                query(c, "", List.of(), "downloads DESC", offset, limit, hits);
                return new SearchPage(visible, hits);
            }
            long cap = cap(offset + limit, visible);
            double estimate = stats.share(c, tiers.all()) * visible;
            long counted = 0; // a lower bound of the matches, from a capped count
            Lookup unionLookup = lookup(c, union.get(), tiers.all(), estimate, cap, visible);
            double cheap = capFloor * CHEAP_COUNT;
            if (visible <= cheap
                    || unionLookup.rows() <= Math.max(walkRows(estimate, offset + limit, visible), cheap)) {
                Optional<String> first = tiers.tiers().size() > 1 ? tiers.tiers().getFirst() : Optional.empty();
                Probe p = probe(c, union.get(), unionLookup.terms(), first, cap, offset, limit);
                if (p.count() < cap) {
                    return new SearchPage(p.count(), p.hits());
                }
                counted = p.count();
            }
            // many matches: per tier, walk the ranking index unless the tier turns out small
            double firstEstimate = tiers.tiers().size() == 1 ? estimate : stats.share(c, tiers.first()) * visible;
            double[] estimates = {firstEstimate, Math.max(0, estimate - firstEstimate)};
            long skip = offset;
            long tiersCounted = 0;
            boolean exact = true;
            for (int t = 0; t < tiers.tiers().size(); t++) {
                if (hits.size() == limit) {
                    exact = false; // later tiers not counted
                    break;
                }
                TierPage r = tierPage(c, tiers.tiers().get(t).orElseThrow(), t == 0 ? tiers.first() : tiers.all(),
                        estimates[t], cap, visible, skip, limit - hits.size());
                hits.addAll(r.hits());
                tiersCounted += r.matches();
                if (!r.exact()) {
                    exact = false; // the page is full
                    break;
                }
                skip = Math.max(0, skip - r.matches());
            }
            if (exact) {
                return new SearchPage(tiersCounted, hits);
            }
            long atLeast = Math.max(Math.max(counted, tiersCounted), offset + hits.size());
            return estimate > atLeast ? new SearchPage((long) estimate, hits, false, false)
                    : new SearchPage(atLeast, hits, false, true);
        });
    }

    /**
     * A tier's part of a page.
     *
     * @param hits    its hits on the page
     * @param matches its matches: exact, or at least this many
     * @param exact   whether {@code matches} is exact (if not, the page is full)
     */
    private record TierPage(List<SearchHit> hits, long matches, boolean exact) {
    }

    /**
     * Up to {@code limit} hits of one tier after {@code offset}, by bounded plans: a tier whose walk of the
     * ranking index is estimated cheaper than its capped count walks first, reading at most the rows the count
     * would cost (so a wrong estimate costs at most twice the count); otherwise (or when that walk ran out) the
     * tier's matches are read through GIN up to the cap ({@link #probe}): fewer, and they are the tier, counted
     * and sorted; as many, and the walk reads about {@code end * visible / cap} packages.
     */
    private TierPage tierPage(Connection c, String match, List<PgSearchTerms.Term> required, double estimate,
                              long cap, long visible, long offset, int limit) throws SQLException {
        Lookup lookup = lookup(c, match, required, estimate, cap, visible);
        List<PgSearchTerms.Term> lookedUp = lookup.terms();
        if (walkRows(estimate, offset + limit, visible) < lookup.rows()) {
            // a walk that has read what the capped count would cost was wrongly estimated: stop and count
            long budget = (long) Math.min(visible, Math.max(offset + limit, lookup.rows()));
            List<SearchHit> hits = walk(c, match, budget, offset, limit);
            if (hits.size() == limit) {
                return new TierPage(hits, offset + limit, false);
            }
            if (budget >= visible) {
                return ended(c, match, lookedUp, offset, hits);
            }
        }
        Probe p = probe(c, match, lookedUp, Optional.empty(), cap, offset, limit);
        if (p.count() < cap) {
            return new TierPage(p.hits(), p.count(), true);
        }
        // at least the cap: a walk tests about (offset + limit) * visible / cap packages
        List<SearchHit> hits = walk(c, match, visible, offset, limit);
        if (hits.size() == limit) {
            return new TierPage(hits, Math.max(cap, offset + limit), false);
        }
        return ended(c, match, lookedUp, offset, hits);
    }

    /**
     * A tier whose walk reached the end of the ranking index: its matches end on this page (exactly those up to
     * its last hit), or before it (at most {@code offset}: counted up to that).
     */
    private TierPage ended(Connection c, String match, List<PgSearchTerms.Term> lookedUp, long offset,
                           List<SearchHit> hits) throws SQLException {
        if (!hits.isEmpty() || offset == 0) {
            return new TierPage(hits, offset + hits.size(), true);
        }
        return new TierPage(hits, probe(c, match, lookedUp, Optional.empty(), offset + 1, 0, 0).count(), true);
    }

    /**
     * Hits of one tier after {@code offset}, walking the first {@code budget} packages of the ranking index and
     * testing each one's {@code tsvector} ({@code ts_match_vq}, the function behind {@code @@}, which no index
     * serves).
     */
    private static List<SearchHit> walk(Connection c, String match, long budget, long offset, int limit)
            throws SQLException {
        List<SearchHit> hits = new ArrayList<>();
        query(c, "AND ts_match_vq(search, ?::tsquery)", List.of(match), "downloads DESC LIMIT " + budget, offset,
                limit, hits);
        return hits;
    }

    /**
     * A capped count and its page.
     *
     * @param count the matches read, at most the cap: below it, all of them
     * @param hits  the page among them, ranked
     */
    private record Probe(long count, List<SearchHit> hits) {
    }

    /**
     * Reads at most {@code cap} matches of {@code match} through the GIN index ({@link Gin}: the bitmap of the
     * looked-up terms' entries, each row tested against the rest) and, in the same statement, ranks them: the
     * matches of {@code first} (the first tier, when the match is two tiers' union) before the others, each by
     * downloads, then namespace and name; the page is cut from them. When there are fewer matches than the cap,
     * the count is exact and the page is right; otherwise both are only of the matches read.
     */
    private static Probe probe(Connection c, String match, List<PgSearchTerms.Term> lookedUp,
                               Optional<String> first, long cap, long offset, int limit) throws SQLException {
        Gin gin = Gin.of(match, lookedUp);
        String sql = """
                WITH m AS MATERIALIZED (SELECT id, downloads, namespace, name, %s AS first FROM packages
                    WHERE latest IS NOT NULL AND %s LIMIT ?),
                  top AS (SELECT id, first FROM m ORDER BY first DESC, downloads DESC, namespace, name
                    LIMIT ? OFFSET ?)
                SELECT %s, c.n FROM (SELECT count(*) AS n FROM m) c
                  LEFT JOIN (top JOIN packages p ON p.id = top.id) ON true
                ORDER BY top.first DESC, p.downloads DESC, p.namespace, p.name"""
                .formatted(first.isPresent() ? "ts_match_vq(search, ?::tsquery)" : "true", gin.condition(),
                        PackageTables.HIT_COLUMNS);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (first.isPresent()) {
                ps.setString(i++, first.get());
            }
            for (String parameter : gin.parameters()) {
                ps.setString(i++, parameter);
            }
            ps.setLong(i++, cap);
            ps.setInt(i++, limit);
            ps.setLong(i, offset);
            long count = 0;
            List<SearchHit> hits = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    count = rs.getLong(9);
                    if (rs.getString(1) != null) {
                        hits.add(PackageTables.hit(rs));
                    }
                }
            }
            return new Probe(count, hits);
        }
    }

    /** A condition through the GIN index, and its parameters. */
    private record Gin(String condition, List<String> parameters) {
        static Gin of(String match, List<PgSearchTerms.Term> lookedUp) {
            String lookup = PgSearchTerms.query(lookedUp).orElseThrow();
            return lookup.equals(match) ? new Gin("search @@ ?::tsquery", List.of(match))
                    : new Gin("search @@ ?::tsquery AND ts_match_vq(search, ?::tsquery)", List.of(lookup, match));
        }
    }

    /**
     * Hits ranked by {@code order} (then namespace and name) among the visible packages meeting {@code condition}.
     * An order with a {@code LIMIT} walks only that many packages of the ranking index.
     */
    private static void query(Connection c, String condition, List<String> parameters, String order, long offset,
                              int limit, List<SearchHit> into) throws SQLException {
        String sql = order.contains("LIMIT")
                ? """
                  SELECT %s FROM (SELECT * FROM packages WHERE latest IS NOT NULL
                    ORDER BY %s) p WHERE true %s
                  ORDER BY downloads DESC, namespace, name LIMIT ? OFFSET ?"""
                  .formatted(PackageTables.HIT_COLUMNS, order.replace("LIMIT", ", namespace, name LIMIT"), condition)
                : """
                  SELECT %s FROM packages p WHERE latest IS NOT NULL %s
                  ORDER BY %s, namespace, name LIMIT ? OFFSET ?"""
                  .formatted(PackageTables.HIT_COLUMNS, condition, order);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String parameter : parameters) {
                ps.setString(i++, parameter);
            }
            ps.setInt(i++, limit);
            ps.setLong(i, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.add(PackageTables.hit(rs));
                }
            }
        }
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
                Jdbc.bind(ps, List.of(digest.toString(), parts[0], parts[1]));
                List<String> ids = Jdbc.strings(ps);
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
}
