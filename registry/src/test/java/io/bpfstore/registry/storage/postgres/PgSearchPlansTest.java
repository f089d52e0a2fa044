package io.bpfstore.registry.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.registry.bench.SearchCatalog;
import io.bpfstore.registry.packages.PackageRelease;
import io.bpfstore.registry.storage.ManifestRecord;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.storage.SearchHit;
import io.bpfstore.registry.storage.SearchPage;
import io.bpfstore.registry.storage.sqlite.SqliteMetadataStore;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.SearchQuery;
import io.bpfstore.testsupport.PostgresCluster;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL search gives the embedded index's pages whichever plan it takes: the same catalog pushed into both
 * stores, then every query of a mix (common and rare words, prefixes, two words, facets, text and facets, pages
 * across the tiers) asked of SQLite (the oracle), of the PostgreSQL index as the registry runs it (at this size
 * it counts exactly) and of one that never counts (estimates, walks the ranking index for common tiers, sorts
 * GIN matches for rare ones). Pages must be equal; totals equal, or flagged as estimates and at least the matches
 * up to the end of the page.
 */
class PgSearchPlansTest {
    private static final int PACKAGES = 400;

    @TempDir
    Path tmp;

    @Test
    void everyPlanRanksAsTheEmbeddedIndex() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        PostgresAddress address = PostgresAddress.parse(cluster.url(cluster.newDatabase()));
        Optional<String> password = Optional.of(cluster.password());
        try (MetadataStore sqlite = SqliteMetadataStore.open(tmp.resolve("registry.db"));
             PostgresMetadataStore pg = PostgresMetadataStore.open(address, password)) {
            for (int i = 0; i < PACKAGES; i++) {
                push(sqlite, i);
                push(pg, i);
            }
            cluster.psql(address.database(), "ANALYZE packages");
            try (PgDatabase db = PgDatabase.open(address, password)) {
                PgPackageIndex estimating = new PgPackageIndex(db, 0);
                int estimated = 0;
                for (SearchQuery q : queries()) {
                    SearchPage expected = sqlite.packages().search(q);
                    SearchPage exact = pg.packages().search(q);
                    assertEquals(names(expected), names(exact), q.query());
                    assertEquals(expected.total(), exact.total(), q.query());
                    assertTrue(exact.exact(), q.query());
                    SearchPage other = estimating.search(q);
                    assertEquals(names(expected), names(other), "estimating: " + q.query());
                    if (other.exact()) {
                        assertEquals(expected.total(), other.total(), "estimating: " + q.query());
                    } else {
                        estimated++;
                        assertTrue(other.total() >= (q.page() - 1L) * q.perPage() + other.results().size(),
                                "estimating: " + q.query());
                    }
                }
                assertTrue(estimated > 0, "some totals were estimated");
            }
        }
    }

    private static void push(MetadataStore store, int i) {
        SearchCatalog.Package p = SearchCatalog.generate(i);
        for (int v = 0; v < p.releases().size(); v++) {
            PackageRelease r = p.releases().get(v);
            store.repositories().putManifest(new ManifestRecord(p.repository(), Digest.parse(r.digest()),
                    "application/vnd.oci.image.manifest.v1+json", p.manifests().get(v), Optional.empty(),
                    Optional.empty(), Instant.now()), Optional.of(r.version()), Optional.of(r));
            if (p.yanked().get(v)) {
                store.packages().setYanked(r.namespace(), r.name(), r.version(), true);
            }
            for (long d = 0; d < Math.min(p.downloads().get(v), 30); d++) {
                store.packages().countDownload(p.repository(), Digest.parse(r.digest()));
            }
        }
    }

    private static List<SearchQuery> queries() {
        List<SearchQuery> out = new java.util.ArrayList<>();
        List<String> texts = List.of("packet", "filter", "the", "con", "tr", "packet filter", "ringbuf", "lru_hash",
                "bpf_fib_lookup", "kprobe", "zzqq", SearchCatalog.rareWord(3), "net", "p");
        for (String text : texts) {
            for (int page : new int[] {1, 2, 4}) {
                out.add(new SearchQuery(Optional.of(text), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), page, 10));
            }
        }
        out.add(new SearchQuery(Optional.empty(), Optional.of("xdp"), Optional.empty(), Optional.empty(),
                Optional.empty(), 1, 20));
        out.add(new SearchQuery(Optional.empty(), Optional.of("kprobe"), Optional.empty(), Optional.empty(),
                Optional.of("GPL-2.0-only"), 3, 10));
        out.add(new SearchQuery(Optional.empty(), Optional.empty(), Optional.of("tcx_ingress"), Optional.empty(),
                Optional.empty(), 1, 20));
        out.add(new SearchQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("bpf_map_lookup_elem"), Optional.empty(), 2, 50));
        out.add(new SearchQuery(Optional.of("monitor"), Optional.of("xdp"), Optional.empty(), Optional.empty(),
                Optional.empty(), 1, 5));
        out.add(new SearchQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 3, 50));
        return out;
    }

    private static List<String> names(SearchPage page) {
        return page.results().stream().map((SearchHit h) -> h.namespace() + "/" + h.name() + "@" + h.version())
                .toList();
    }
}
