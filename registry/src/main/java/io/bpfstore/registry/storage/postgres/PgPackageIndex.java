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
    private final long exactCountBelow;

    PgPackageIndex(PgDatabase db) {
        this(db, EXACT_COUNT_BELOW);
    }

    /** An index that counts exactly below {@code exactCountBelow} estimated matches (tests set 0: never). */
    PgPackageIndex(PgDatabase db, long exactCountBelow) {
        super(db);
        this.exactCountBelow = exactCountBelow;
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
     * Below this estimated number of matches a search counts them exactly; above it the total is the estimate
     * (at least the matches up to the end of the page), flagged as such: counting a large share of a million
     * packages reads every match's index entry, tens of milliseconds.
     */
    static final long EXACT_COUNT_BELOW = 20_000;

    /**
     * Ranked in tiers ({@link PgSearchTerms.Tiers}), each by downloads, then namespace and name: with text, the
     * packages where every word is in the namespace, the name or the kinds (program, attach and map types,
     * helpers) come before those where some word is only in the description, as in the embedded index. The page
     * is cut across the tiers in order. How many packages match is estimated first ({@link PgSearchStats}):
     * few, and they are counted exactly and each tier's page is read through the GIN index and sorted; many, and
     * each tier's page walks the ranking index keeping the matches, and the total is the estimate unless the page
     * reached the last match (the first tier is counted only when the page goes past its end).
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
            long visible = Long.parseLong(Jdbc.string(c, "SELECT visible::text FROM package_stats WHERE id = 0")
                    .orElse("0"));
            Optional<String> union = tiers.union();
            double estimate = union.isEmpty() ? visible : stats.share(c, tiers.all()) * visible;
            List<SearchHit> hits = new ArrayList<>();
            if (union.isEmpty() || estimate >= exactCountBelow) {
                // many matches: per tier, walk the ranking index or sort as its estimate says; count only what
                // the page needs
                double first = tiers.tiers().size() == 1 ? estimate : stats.share(c, tiers.first()) * visible;
                double[] estimates = {first, Math.max(0, estimate - first)};
                long skip = offset;
                for (int t = 0; t < tiers.tiers().size() && hits.size() < limit; t++) {
                    int before = hits.size();
                    page(c, tiers.tiers().get(t), lookup(c, tiers, t),
                            walk(estimates[t], skip + limit - before, visible), estimates[t], visible, skip,
                            limit - before, hits);
                    if (hits.size() < limit && t + 1 < tiers.tiers().size()) {
                        // the tier ended inside the page or before it: how far, to cut the next tier
                        long tierMatches = hits.size() > before ? skip + hits.size() - before
                                : count(c, tiers.tiers().get(t).orElseThrow(), lookup(c, tiers, t));
                        skip = Math.max(0, skip - tierMatches);
                    }
                }
                if (union.isEmpty()) {
                    return new SearchPage(visible, hits);
                }
                if (!hits.isEmpty() && hits.size() < limit) {
                    return new SearchPage(offset + hits.size(), hits); // the page reached the last match
                }
                return new SearchPage(Math.max((long) estimate, offset + hits.size()), hits, false);
            }
            long total = count(c, union.get(), stats.lookedUp(c, tiers.all()));
            long first = tiers.tiers().size() == 1 || total == 0 ? total
                    : count(c, PgSearchTerms.query(tiers.first()).orElseThrow(), lookup(c, tiers, 0));
            long[] counts = tiers.tiers().size() == 1 ? new long[] {total} : new long[] {first, total - first};
            long skip = offset;
            for (int t = 0; t < tiers.tiers().size() && hits.size() < limit; t++) {
                if (skip < counts[t]) {
                    page(c, tiers.tiers().get(t), lookup(c, tiers, t), walk(counts[t], skip + limit, visible),
                            counts[t], visible, skip, limit - hits.size(), hits);
                }
                skip = Math.max(0, skip - counts[t]);
            }
            return new SearchPage(total, hits);
        });
    }

    /** The terms of tier {@code t} to look up in the GIN index ({@link PgSearchStats#lookedUp}). */
    private List<PgSearchTerms.Term> lookup(Connection c, PgSearchTerms.Tiers tiers, int t) throws SQLException {
        return stats.lookedUp(c, t == 0 ? tiers.first() : tiers.all());
    }

    /**
     * Whether walking the ranking index beats sorting the matches for a page ending at {@code end}: a walk reads
     * about {@code end * visible / matches} packages, a sort all {@code matches} (the embedded index's rule).
     */
    private static boolean walk(double matches, long end, long visible) {
        return matches * matches >= (double) end * visible;
    }

    /**
     * The packages matching {@code match}: those GIN finds for {@code lookedUp} (terms every match has), tested
     * against the whole query unless the terms are all of it.
     */
    private static long count(Connection c, String match, List<PgSearchTerms.Term> lookedUp) throws SQLException {
        Gin gin = Gin.of(match, lookedUp);
        return Long.parseLong(Jdbc.string(c, "SELECT count(*)::text FROM packages WHERE latest IS NOT NULL AND "
                + gin.condition(), gin.parameters().toArray(String[]::new)).orElse("0"));
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
     * Appends up to {@code limit} hits of one tier, ranked, after {@code offset}, by one of two plans, fixed here
     * rather than left to the planner (a prepared statement's generic plan cannot tell a rare word from a common
     * one): walking the ranking index and testing each package's {@code tsvector} ({@code ts_match_vq}, the
     * function behind {@code @@}, which no index serves), or reading the matches through the GIN index and
     * sorting them ({@code -downloads}: the same order, which no index provides).
     */
    private static void page(Connection c, Optional<String> match, List<PgSearchTerms.Term> lookedUp, boolean walk,
                             double estimate, long visible, long offset, int limit, List<SearchHit> into)
            throws SQLException {
        if (match.isEmpty()) {
            query(c, "", List.of(), "downloads DESC", offset, limit, into);
            return;
        }
        if (walk) {
            // a walk reads about (offset + limit) / share packages; ten times that, and the estimate was wrong
            // (words that seldom come together): the tier is read through GIN instead
            long budget = (long) Math.min(visible, Math.max(WALK_AT_LEAST,
                    10.0 * (offset + limit) * visible / Math.max(estimate, 1)));
            List<SearchHit> hits = new ArrayList<>();
            query(c, "AND ts_match_vq(search, ?::tsquery)", List.of(match.get()), "downloads DESC LIMIT " + budget,
                    offset, limit, hits);
            if (hits.size() == limit || budget >= visible) {
                into.addAll(hits);
                return;
            }
        }
        Gin gin = Gin.of(match.get(), lookedUp);
        query(c, "AND " + gin.condition(), gin.parameters(), "-downloads", offset, limit, into);
    }

    /** The least number of packages a walk reads before it gives up on its estimate. */
    private static final long WALK_AT_LEAST = 20_000;

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
