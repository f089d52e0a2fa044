package io.bpfstore.registry.storage.postgres;

import io.bpfstore.registry.storage.index.IndexedVersion;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words and tokens of PostgreSQL search, split in Java rather than by a text-search configuration so that
 * they are the embedded index's: a word is a run of letters and digits (FTS5's unicode61), lower-cased, with
 * diacritics removed; a facet is one token {@code _<kind>_<hex of value>}. The document is a {@code tsvector}
 * literal of the words of namespace, name, kinds (program, attach and map types, helpers) and description, the
 * facets, and each word of namespace, name and kinds once more as {@code _n_<word>}: a query requires every word
 * as a prefix (of a plain word: anywhere; of an {@code _n_} one: in namespace, name or kinds, the first search
 * tier) and every facet exactly. A word never contains {@code _}, so no word (and no prefix of one) can match a
 * facet or a named word; this keeps the query free of weight labels, which GIN cannot check without fetching
 * every matching row. Words and hex contain no quote or backslash, so the literals cannot be broken out of, and
 * they travel as bound parameters anyway.
 */
final class PgSearchTerms {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    /** As the embedded index: later words of a query are ignored. */
    private static final int MAX_QUERY_WORDS = 16;
    /** Longest lexeme kept (PostgreSQL refuses lexemes over 2 KiB); a query word is at most 256 characters. */
    private static final int MAX_WORD = 500;
    /** PostgreSQL's largest position in a tsvector. */
    private static final int MAX_POSITION = 16383;

    private PgSearchTerms() {
    }

    /** The words of {@code text}, in order, each at most {@value #MAX_WORD} characters. */
    static List<String> words(String text) {
        String folded = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("")
                .toLowerCase(Locale.ROOT);
        Matcher m = WORD.matcher(folded);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            String w = m.group();
            out.add(w.length() > MAX_WORD ? w.substring(0, MAX_WORD) : w);
        }
        return out;
    }

    /** The words of a query text, at most {@value #MAX_QUERY_WORDS}. */
    static List<String> queryWords(String text) {
        List<String> words = words(text);
        return words.size() > MAX_QUERY_WORDS ? words.subList(0, MAX_QUERY_WORDS) : words;
    }

    /** One facet as one token: kind and hex of the value, so no character of the value splits it. */
    static String facet(String kind, String value) {
        return "_" + kind + "_" + HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The tokens of facets (of a latest version, or a query's filters). */
    static List<String> facets(List<IndexedVersion.Facet> facets) {
        return facets.stream().map(f -> facet(f.kind(), f.value())).toList();
    }

    /** Prefix of the lexemes of words in namespace, name or kinds (never a facet kind). */
    private static final String NAMED = "_n_";

    /**
     * The {@code tsvector} literal of a package: the words of {@code named} (namespace, name), {@code kinds}
     * (program, attach and map types, helpers) and the description; the facets; and the words of {@code named}
     * and {@code kinds} again as {@code _n_<word>}.
     */
    static String document(List<String> named, List<String> kinds, String description, List<String> facets) {
        StringBuilder b = new StringBuilder();
        int[] position = {0};
        java.util.function.Consumer<String> add = lexeme -> {
            position[0] = Math.min(position[0] + 1, MAX_POSITION);
            b.append('\'').append(lexeme).append("':").append(position[0]).append(' ');
        };
        List<String> namedWords = new ArrayList<>();
        named.forEach(text -> namedWords.addAll(words(text)));
        kinds.forEach(text -> namedWords.addAll(words(text)));
        namedWords.forEach(add);
        words(description).forEach(add);
        facets.forEach(add);
        namedWords.forEach(w -> add.accept(NAMED + w));
        return b.toString().strip();
    }

    /**
     * One term of a search: a lexeme, required exactly or as a prefix.
     *
     * @param lexeme the lexeme (a word, {@code _n_<word>} or a facet token)
     * @param prefix whether every lexeme it starts matches
     */
    record Term(String lexeme, boolean prefix) {
        /** The term in a {@code tsquery} literal. */
        String literal() {
            return "'" + lexeme + "'" + (prefix ? ":*" : "");
        }
    }

    /** The terms requiring every word as a prefix (in namespace, name or kinds if {@code named}) and every facet. */
    static List<Term> terms(List<String> words, boolean named, List<String> facets) {
        List<Term> terms = new ArrayList<>();
        words.forEach(w -> terms.add(new Term((named ? NAMED : "") + w, true)));
        facets.forEach(f -> terms.add(new Term(f, false)));
        return terms;
    }

    /** The {@code tsquery} literal requiring every term; empty if none. */
    static Optional<String> query(List<Term> terms) {
        return terms.isEmpty() ? Optional.empty()
                : Optional.of(String.join(" & ", terms.stream().map(Term::literal).toList()));
    }

    /**
     * A search's tiers, in rank order: without words one, every package with the facets; with words, first the
     * packages where every word is in the namespace, name or kinds ({@code named}), then those where some word
     * is only in the description ({@code anywhere} and not {@code named}). {@code all} is what the tiers match
     * together.
     *
     * @param tiers the tiers' {@code tsquery} literals (one tier without words; empty: every visible package)
     * @param all   the terms every match of some tier has (the union of the tiers)
     * @param first the terms of the first tier
     */
    record Tiers(List<Optional<String>> tiers, List<Term> all, List<Term> first) {
        static Tiers of(List<String> words, List<String> facets) {
            List<Term> anywhere = terms(words, false, facets);
            if (words.isEmpty()) {
                return new Tiers(List.of(query(anywhere)), anywhere, anywhere);
            }
            List<Term> named = terms(words, true, facets);
            String namedWords = query(terms(words, true, List.of())).orElseThrow();
            return new Tiers(List.of(query(named), Optional.of("(" + query(anywhere).orElseThrow() + ") & !("
                    + namedWords + ")")), anywhere, named);
        }

        /** The {@code tsquery} of every match (empty: every visible package). */
        Optional<String> union() {
            return query(all);
        }
    }
}
