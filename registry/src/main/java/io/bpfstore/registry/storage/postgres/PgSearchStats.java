package io.bpfstore.registry.storage.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * How many packages a search matches, estimated without reading its matches: from the share of packages that
 * have each lexeme, which PostgreSQL's ANALYZE keeps for {@code packages.search} ({@code pg_stats}'s most common
 * elements: every lexeme in more than a small share of the sampled rows, with its share). The search uses the
 * estimate to choose between counting the matches and walking the ranking index; read at most once a
 * {@value #REFRESH_SECONDS} seconds per instance.
 */
final class PgSearchStats {
    private static final long REFRESH_SECONDS = 60;

    /** Lexeme → share of packages with it; the least share kept (a lexeme not listed has less). */
    private record Shares(NavigableMap<String, Double> shares, double least, long readAt) {
    }

    private volatile Shares current = new Shares(new TreeMap<>(), 0, Long.MIN_VALUE);

    /**
     * The estimated share of visible packages matching every term: a term's share is its lexeme's (for a prefix,
     * the sum over the listed lexemes it starts, at most 1); terms are taken as independent. A lexeme not listed
     * counts as half the least listed share, as the planner counts it. No statistics yet (a new database, never
     * analysed): 0, so the search counts exactly.
     */
    double share(Connection c, List<PgSearchTerms.Term> terms) throws SQLException {
        Shares s = shares(c);
        if (s.shares().isEmpty()) {
            return 0;
        }
        double share = 1;
        for (PgSearchTerms.Term t : terms) {
            share *= share(s, t);
        }
        return share;
    }

    /**
     * The estimated share of visible packages in the GIN bitmap of {@code lookedUp}: at most the rarest term's
     * (GIN intersects exact lexemes skipping through the commoner ones, and reads every entry of a prefix).
     */
    double bitmapShare(Connection c, List<PgSearchTerms.Term> lookedUp) throws SQLException {
        Shares s = shares(c);
        if (s.shares().isEmpty()) {
            return 0;
        }
        double least = 1;
        for (PgSearchTerms.Term t : lookedUp) {
            least = Math.min(least, share(s, t));
        }
        return least;
    }

    /**
     * The estimated share of visible packages whose GIN entries a lookup of {@code lookedUp} reads: every entry of
     * each prefix (GIN reads them all before intersecting), and about the rarest exact lexeme's (it skips through
     * the commoner ones).
     */
    double readShare(Connection c, List<PgSearchTerms.Term> lookedUp) throws SQLException {
        Shares s = shares(c);
        if (s.shares().isEmpty()) {
            return 0;
        }
        double prefixes = 0;
        double exact = Double.MAX_VALUE;
        for (PgSearchTerms.Term t : lookedUp) {
            if (t.prefix()) {
                prefixes += share(s, t);
            } else {
                exact = Math.min(exact, share(s, t));
            }
        }
        return prefixes + (exact == Double.MAX_VALUE ? 0 : exact);
    }

    private static double share(Shares s, PgSearchTerms.Term t) {
        if (!t.prefix()) {
            return s.shares().getOrDefault(t.lexeme(), s.least() / 2);
        }
        double term = 0;
        for (double f : s.shares().subMap(t.lexeme(), true, t.lexeme() + Character.MAX_VALUE, false).values()) {
            term += f;
        }
        return term == 0 ? s.least() / 2 : Math.min(1, term);
    }

    /** A prefix term whose share is below this is looked up in the GIN index; a commoner one is tested per row. */
    private static final double RARE_PREFIX = 0.01;

    /**
     * Of the terms every match has, the ones to look up in the GIN index: every exact lexeme (GIN intersects
     * posting lists, skipping through common ones), and the prefixes of rare words; at least the rarest term.
     * A common prefix is left to a per-row test: GIN reads every entry of every lexeme a prefix matches before it
     * intersects ({@code 'packet':*} alone is hundreds of thousands of entries at a million packages).
     */
    List<PgSearchTerms.Term> lookedUp(Connection c, List<PgSearchTerms.Term> required) throws SQLException {
        Shares s = shares(c);
        if (s.shares().isEmpty() || required.isEmpty()) {
            return required;
        }
        List<PgSearchTerms.Term> out = required.stream().filter(t -> !t.prefix() || share(s, t) < RARE_PREFIX)
                .toList();
        if (!out.isEmpty()) {
            return out;
        }
        return List.of(required.stream().min(java.util.Comparator.comparingDouble(t -> share(s, t)))
                .orElseThrow());
    }

    private Shares shares(Connection c) throws SQLException {
        Shares s = current;
        long now = System.nanoTime() / 1_000_000_000L;
        if (s.readAt() != Long.MIN_VALUE && now - s.readAt() < REFRESH_SECONDS) {
            return s;
        }
        NavigableMap<String, Double> shares = new TreeMap<>();
        double least = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats
                WHERE schemaname = current_schema() AND tablename = 'packages' AND attname = 'search'""");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getArray(1) != null) {
                String[] lexemes = (String[]) rs.getArray(1).getArray();
                // shares of the rows with a tsvector (the packages in search), then the least and the greatest
                Float[] f = (Float[]) rs.getArray(2).getArray();
                for (int i = 0; i < lexemes.length; i++) {
                    shares.put(lexemes[i], (double) f[i]);
                }
                least = f[lexemes.length];
            }
        }
        Shares read = new Shares(shares, least, now);
        current = read;
        return read;
    }
}
