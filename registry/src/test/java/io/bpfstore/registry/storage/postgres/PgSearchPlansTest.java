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
 * it counts exactly) and of indexes whose capped counts stop early (caps of 1, of 12, and the balanced cap
 * without its floor), so that every plan runs: counted and sorted through GIN, walked after the count reached
 * the cap, walked first on a high estimate, a walk that runs out of budget, tiers cut across a page. Pages must be
 * equal; totals equal, or flagged as lower bounds (never above the true total) or estimates, and at least the
 * matches up to the end of the page.
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
                // caps of 1 (every search walks), 12 (some counts end below the cap, others reach it) and the
                // balanced cap without a floor (walks first when the estimate is high, counts when low)
                List<PgPackageIndex> bounded = List.of(new PgPackageIndex(db, 0, 1), new PgPackageIndex(db, 12, 12),
                        new PgPackageIndex(db, 0, Long.MAX_VALUE));
                int[] atLeast = new int[bounded.size()];
                int estimated = 0;
                for (SearchQuery q : queries()) {
                    SearchPage expected = sqlite.packages().search(q);
                    SearchPage exact = pg.packages().search(q);
                    assertEquals(names(expected), names(exact), q.query());
                    assertEquals(expected.total(), exact.total(), q.query());
                    assertTrue(exact.exact(), q.query());
                    for (int k = 0; k < bounded.size(); k++) {
                        SearchPage other = bounded.get(k).search(q);
                        String plan = "cap " + bounded.get(k).cap(q.page() * (long) q.perPage(), PACKAGES) + ": ";
                        assertEquals(names(expected), names(other), plan + q.query());
                        long pageEnd = (q.page() - 1L) * q.perPage() + other.results().size();
                        if (other.exact()) {
                            assertEquals(expected.total(), other.total(), plan + q.query());
                        } else if (other.atLeast()) {
                            atLeast[k]++;
                            // a counted lower bound: never above the true total
                            assertTrue(other.total() <= expected.total() && other.total() >= pageEnd,
                                    plan + q.query() + ": at least " + other.total() + " of " + expected.total());
                        } else {
                            estimated++;
                            assertTrue(other.total() >= pageEnd, plan + q.query());
                        }
                    }
                }
                assertTrue(estimated > 0, "some totals were estimated");
                assertTrue(atLeast[0] > 0 && atLeast[1] > 0, "some totals were bounds: "
                        + java.util.Arrays.toString(atLeast));
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
        // correlated word and facets (counted to the cap, then walked), across pages and tiers
        for (int page : new int[] {1, 2, 3, 6}) {
            out.add(new SearchQuery(Optional.of("packet"), Optional.of("xdp"), Optional.empty(),
                    Optional.of("bpf_map_lookup_elem"), Optional.empty(), page, 4));
            out.add(new SearchQuery(Optional.of("filter"), Optional.of("xdp"), Optional.empty(), Optional.empty(),
                    Optional.empty(), page, 7));
            out.add(new SearchQuery(Optional.of("packet trace"), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), page, 6));
        }
        return out;
    }

    private static List<String> names(SearchPage page) {
        return page.results().stream().map((SearchHit h) -> h.namespace() + "/" + h.name() + "@" + h.version())
                .toList();
    }
}
