package io.bpfstore.registry.storage.index;

import io.bpfstore.store.image.SearchQuery;
import io.bpfstore.store.image.SemVer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One version of a package as the index stores it, with the rules both stores apply to make a package's search
 * row: which version is latest and which kinds and facets it contributes.
 *
 * @param version     its semantic version
 * @param digest      its manifest digest
 * @param yanked      whether it is yanked
 * @param description its description
 * @param license     its licence expression
 * @param types       program types
 * @param hooks       attach types
 * @param helpers     helpers called
 * @param mapTypes    map types
 */
public record IndexedVersion(SemVer version, String digest, boolean yanked, String description, String license,
                             List<String> types, List<String> hooks, List<String> helpers, List<String> mapTypes) {
    /** Copies the lists. */
    public IndexedVersion {
        types = List.copyOf(types);
        hooks = List.copyOf(hooks);
        helpers = List.copyOf(helpers);
        mapTypes = List.copyOf(mapTypes);
    }

    /**
     * The latest of {@code newestFirst}: like crates.io and npm, the newest non-yanked stable release; a
     * pre-release only when there is no stable one. Empty when every version is yanked (the package leaves
     * search but keeps its page).
     */
    public static Optional<IndexedVersion> latest(List<IndexedVersion> newestFirst) {
        return newestFirst.stream().filter(r -> !r.yanked() && !r.version().isPrerelease()).findFirst()
                .or(() -> newestFirst.stream().filter(r -> !r.yanked()).findFirst());
    }

    /** Program types, attach types, helpers and map types, each once, sorted: the kinds text searches. */
    public List<String> kinds() {
        TreeSet<String> all = new TreeSet<>(types);
        all.addAll(hooks);
        all.addAll(helpers);
        all.addAll(mapTypes);
        return List.copyOf(all);
    }

    /**
     * A facet: what an exact filter of a search compares.
     *
     * @param kind  {@code type}, {@code hook}, {@code helper} or {@code license}
     * @param value the value as indexed (program and attach types and licences lower-cased, helpers as they are)
     */
    public record Facet(String kind, String value) {
        /** The filters of a query, in the order of {@link #facets()}; blank ones are no filter. */
        public static List<Facet> filters(SearchQuery q) {
            List<Facet> out = new ArrayList<>();
            q.programType().filter(v -> !v.isBlank()).ifPresent(v -> out.add(new Facet("type",
                    v.toLowerCase(Locale.ROOT))));
            q.hook().filter(v -> !v.isBlank()).ifPresent(v -> out.add(new Facet("hook", v.toLowerCase(Locale.ROOT))));
            q.helper().filter(v -> !v.isBlank()).ifPresent(v -> out.add(new Facet("helper", v)));
            q.license().filter(v -> !v.isBlank()).ifPresent(v -> out.add(new Facet("license",
                    v.toLowerCase(Locale.ROOT))));
            return out;
        }
    }

    /** The facets of this version, as the exact filters see them (licence lower-cased; helpers as they are). */
    public List<Facet> facets() {
        List<Facet> out = new ArrayList<>();
        types.forEach(v -> out.add(new Facet("type", v)));
        hooks.forEach(v -> out.add(new Facet("hook", v)));
        helpers.forEach(v -> out.add(new Facet("helper", v)));
        if (!license.isEmpty()) {
            out.add(new Facet("license", license.toLowerCase(Locale.ROOT)));
        }
        return out;
    }
}
