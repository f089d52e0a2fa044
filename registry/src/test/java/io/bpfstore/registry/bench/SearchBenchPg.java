package io.bpfstore.registry.bench;

import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.server.RegistryStorage;
import io.bpfstore.registry.storage.postgres.PgBulkIndex;
import io.bpfstore.registry.storage.postgres.PostgresAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Search on PostgreSQL at scale (a command, not a test; issue 12): fills an empty database with N packages of
 * {@link SearchCatalog} (default 1,000,000) by COPY through {@link PgBulkIndex}, checks a sample of them against
 * real pushes into a second, empty database, then starts a registry on the database and times a query mix through
 * {@code GET /api/v1/search} (one keep-alive client), printing p50/p95/p99 per query class and the load average.
 *
 * <p>Usage: {@code SearchBenchPg N postgresql://…/DB postgresql://…/VERIFYDB BLOBDIR [RUNS]} (password from
 * {@code PGPASSWORD}); a database that already holds packages is measured as it is. {@code bench/registry-search}
 * runs it on a throwaway cluster.
 */
public final class SearchBenchPg {
    private SearchBenchPg() {
    }

    /** A query class: its name and its queries (store-API query strings), used in turn. */
    private record QueryClass(String name, List<String> queries) {
        static QueryClass of(String name, int variants, IntFunction<String> query) {
            List<String> out = new ArrayList<>();
            for (int k = 0; k < variants; k++) {
                out.add(query.apply(k));
            }
            return new QueryClass(name, out);
        }
    }

    private static String q(String text) {
        return "q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The query mix; {@code n} packages are in the database. */
    private static List<QueryClass> mix(int n) {
        String[] common = {"packet", "filter", "trace", "network", "monitor", "socket", "latency", "flow"};
        String[] types = {"xdp", "kprobe", "tracepoint", "tc", "tcx", "fentry", "uprobe", "lsm"};
        String[] hooks = {"xdp", "kprobe", "tcx_ingress", "tc_egress", "lsm_mac", "trace_fentry"};
        String[] helpers = {"bpf_map_lookup_elem", "bpf_ringbuf_submit", "bpf_fib_lookup", "bpf_loop",
                "bpf_redirect_map", "bpf_get_current_comm"};
        String[] licenses = {"mit", "gpl-2.0-only", "dual bsd/gpl", "apache-2.0"};
        String[] maps = {"ringbuf", "lru_hash", "lpm_trie", "percpu_array", "sockmap", "devmap"};
        String[] prefixes = {"con", "lat", "prom", "kube", "ba", "tr"};
        return List.of(
                QueryClass.of("common word", 8, k -> q(common[k])),
                QueryClass.of("rare word", 16, k -> q(SearchCatalog.rareWord(k * 251))),
                QueryClass.of("two words", 8, k -> q(common[k] + " " + common[(k + 3) % 8])),
                QueryClass.of("prefix", 6, k -> q(prefixes[k])),
                QueryClass.of("exact name", 16, k -> q(SearchCatalog.generate((int) ((k * 7_919L * 977) % n))
                        .releases().getFirst().name())),
                QueryClass.of("no match", 4, k -> q("zzq" + k + "xv")),
                QueryClass.of("map type word", 6, k -> q(maps[k])),
                QueryClass.of("type filter", 8, k -> "type=" + types[k]),
                QueryClass.of("hook filter", 6, k -> "hook=" + hooks[k]),
                QueryClass.of("helper filter", 6, k -> "helper=" + helpers[k]),
                QueryClass.of("license filter", 4, k -> "license=" + URLEncoder.encode(licenses[k],
                        StandardCharsets.UTF_8)),
                QueryClass.of("word+type", 8, k -> q(common[k]) + "&type=" + types[(k + 1) % 8]),
                QueryClass.of("word+type+helper", 6, k -> q(common[k]) + "&type=" + types[k % 3] + "&helper="
                        + helpers[k]),
                QueryClass.of("page 2", 8, k -> q(common[k]) + "&page=2"),
                QueryClass.of("deep page (50)", 4, k -> q(common[k]) + "&page=50"),
                QueryClass.of("no filter", 1, k -> ""),
                QueryClass.of("no filter, page 2", 1, k -> "page=2"));
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        PostgresAddress db = PostgresAddress.parse(args[1]);
        PostgresAddress verify = PostgresAddress.parse(args[2]);
        Path blobs = Path.of(args[3]);
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        Optional<String> password = RegistryStorage.Scaled.passwordFromEnvironment();
        Files.createDirectories(blobs);
        long existing = PgBulkIndex.visiblePackages(db, password);
        if (existing == 0) {
            long t0 = System.nanoTime();
            PgBulkIndex.load(db, password, n);
            System.out.printf("generated and loaded %,d packages in %.1f s (load average %s)%n", n,
                    (System.nanoTime() - t0) / 1e9, loadAverage());
            List<Integer> sample = new ArrayList<>();
            for (int k = 0; sample.size() < 60; k++) {
                int i = (int) ((k * 104_729L) % n);
                long downloads = SearchCatalog.generate(i).downloads().stream().mapToLong(Long::longValue).sum();
                if (downloads <= 300) {
                    sample.add(i);
                }
            }
            List<String> differences = PgBulkIndex.compareWithPushes(db, verify, password, sample);
            if (!differences.isEmpty()) {
                differences.forEach(System.out::println);
                throw new IllegalStateException(differences.size() + " bulk rows differ from pushed ones");
            }
            System.out.printf("checked %d packages against pushes through putManifest: every row equal%n",
                    sample.size());
        } else {
            long t0 = System.nanoTime();
            PgBulkIndex.analyze(db, password); // statistics as this schema asks for them (a migration may change it)
            System.out.printf("reusing %,d visible packages (ANALYZE %.1f s)%n", existing,
                    (System.nanoTime() - t0) / 1e9);
        }
        RegistryConfig config = RegistryConfig.of("127.0.0.1", 0, new RegistryStorage.Scaled(db, password, blobs));
        try (RegistryServer server = RegistryServer.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            List<QueryClass> mix = mix(n);
            for (int w = 0; w < 1; w++) { // warm-up: every query of every class
                for (QueryClass c : mix) {
                    for (String query : c.queries()) {
                        get(http, server, query);
                    }
                }
            }
            System.out.printf("-- GET /api/v1/search, one keep-alive client, %d runs per class; load average %s --%n",
                    runs, loadAverage());
            List<Long> all = new ArrayList<>();
            for (QueryClass c : mix) {
                long[] t = new long[runs];
                long total = 0;
                for (int i = 0; i < runs; i++) {
                    String query = c.queries().get(i % c.queries().size());
                    long s = System.nanoTime();
                    String body = get(http, server, query);
                    t[i] = System.nanoTime() - s;
                    all.add(t[i]);
                    if (i < c.queries().size()) {
                        total += total(body);
                    }
                }
                Arrays.sort(t);
                System.out.printf("  %-20s p50 %7.2f  p95 %7.2f  p99 %7.2f ms   mean total %,d   load %s%n", c.name(),
                        t[runs / 2] / 1e6, t[runs * 95 / 100] / 1e6, t[runs * 99 / 100] / 1e6,
                        total / Math.min(runs, c.queries().size()), loadAverage());
            }
            long[] t = all.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("  %-20s p50 %7.2f  p95 %7.2f  p99 %7.2f ms   (%d searches)%n", "ALL",
                    t[t.length / 2] / 1e6, t[t.length * 95 / 100] / 1e6, t[t.length * 99 / 100] / 1e6, t.length);
        }
    }

    private static String get(HttpClient http, RegistryServer server, String query) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/search?"
                + query)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(query + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static long total(String body) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"total\"\\s*:\\s*(\\d+)").matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
