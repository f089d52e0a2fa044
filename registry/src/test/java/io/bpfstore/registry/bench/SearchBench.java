package io.bpfstore.registry.bench;

import io.bpfstore.registry.packages.PackageRelease;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.store.image.Digest;
import io.bpfstore.registry.storage.ManifestRecord;
import io.bpfstore.store.image.SearchQuery;
import io.bpfstore.registry.storage.sqlite.SqliteMetadataStore;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.registry.server.RegistryStorage;
import io.bpfstore.registry.storage.postgres.PostgresAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;

/**
 * Search benchmark (a command, not a test): generates N packages (default 100,000) into a fresh SQLite
 * metadata store through the same write path a manifest push uses, then times a mix of searches, first on the
 * index directly and then through the HTTP store API, and prints p50/p99 per query kind and overall.
 *
 * <p>Usage: {@code SearchBench [N] [DIR] [postgresql://USER@HOST:PORT/DB]} (DIR defaults to a temp directory,
 * deleted afterwards; a DIR or database that already holds packages is measured as it is, so the slow generation
 * runs once). With a database URL (password from {@code PGPASSWORD}) the scaled set-up is measured: the packages go
 * into PostgreSQL, by 8 writers at once, and the server serves DIR as its blob directory.
 */
public final class SearchBench {
    private static final String[] WORDS = ("packet counter filter drop trace latency socket flow rate limit "
            + "firewall ddos monitor syscall open exec file process network tcp udp dns http tls cgroup "
            + "memory cpu scheduler block disk io profile stack sample histogram balancer redirect mirror "
            + "tunnel vxlan geneve nat conntrack policy audit security lsm kernel user probe tracepoint event "
            + "ring buffer perf map hash array queue bloom lru percpu metrics export prometheus").split(" ");
    private static final String[] TYPES = {"xdp", "tc", "tcx", "tracepoint", "kprobe", "uprobe", "fentry",
            "fexit", "socket_filter", "cgroup_skb", "lsm", "raw_tracepoint"};
    private static final String[] HOOKS = {"xdp", "tcx_ingress", "tcx_egress", "tc_ingress", "tc_egress",
            "kprobe", "uprobe", "tracepoint", "cgroup_inet_ingress", "lsm_mac", "trace_fentry"};
    private static final String[] MAP_TYPES = {"array", "percpu_array", "hash", "percpu_hash", "lru_hash",
            "ringbuf", "perf_event_array", "prog_array", "devmap", "lpm_trie"};
    private static final String[] HELPERS = {"bpf_map_lookup_elem", "bpf_map_update_elem", "bpf_map_delete_elem",
            "bpf_ktime_get_ns", "bpf_trace_printk", "bpf_get_current_pid_tgid", "bpf_get_current_comm",
            "bpf_perf_event_output", "bpf_ringbuf_output", "bpf_ringbuf_reserve", "bpf_ringbuf_submit",
            "bpf_skb_load_bytes", "bpf_redirect", "bpf_redirect_map", "bpf_xdp_adjust_head", "bpf_csum_diff",
            "bpf_get_prandom_u32", "bpf_probe_read_kernel", "bpf_probe_read_user", "bpf_get_stackid",
            "bpf_tail_call", "bpf_spin_lock", "bpf_spin_unlock", "bpf_loop", "bpf_timer_init",
            "bpf_get_current_task", "bpf_skb_store_bytes", "bpf_l3_csum_replace", "bpf_l4_csum_replace",
            "bpf_fib_lookup"};
    private static final String[] LICENSES = {"GPL-2.0-only", "GPL-2.0-or-later", "MIT", "Apache-2.0",
            "BSD-2-Clause", "Dual BSD/GPL"};
    private static final int RUNS = 200;

    private SearchBench() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        boolean temp = args.length < 2;
        Path dir = temp ? Files.createTempDirectory("bpfstore-bench") : Path.of(args[1]);
        Files.createDirectories(dir);
        try {
            long t0 = System.nanoTime();
            Optional<RegistryStorage.Scaled> scaled = args.length > 2 ? Optional.of(new RegistryStorage.Scaled(
                    PostgresAddress.parse(args[2]), RegistryStorage.Scaled.passwordFromEnvironment(), dir))
                    : Optional.empty();
            try (MetadataStore store = scaled.isPresent() ? scaled.get().openMetadata()
                    : SqliteMetadataStore.open(dir.resolve("registry.db"))) {
                long existing = store.packages().search(query("")).total();
                if (existing == 0) {
                    generate(store, n, scaled.isPresent() ? 8 : 1);
                    System.out.printf("generated %,d packages in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
                } else {
                    System.out.printf("reusing %,d packages in %s%n", existing, dir);
                }
                System.out.println("-- index (PackageIndex.search) --");
                measure(q -> store.packages().search(query(q)).total());
            }
            RegistryConfig config = RegistryConfig.of("127.0.0.1", 0, scaled.isPresent() ? scaled.get()
                    : new RegistryStorage.Embedded(dir));
            try (RegistryServer server = RegistryServer.start(config)) {
                HttpClient http = HttpClient.newHttpClient();
                System.out.println("-- HTTP (GET /api/v1/search, one client, keep-alive) --");
                measure(q -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.uri()
                            + "/api/v1/search?" + q)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(q + ": HTTP " + r.statusCode() + " " + r.body());
                    }
                    return r.body().length();
                });
            }
        } finally {
            if (temp) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** The query mix: name → store-API query string. */
    private static final List<String[]> MIX = List.of(
            new String[] {"no filter", ""},
            new String[] {"common word", "q=packet"},
            new String[] {"two words", "q=tcp+latency"},
            new String[] {"prefix", "q=conn"},
            new String[] {"rare name", "q=pkg-77777"},
            new String[] {"no match", "q=zzzzzz"},
            new String[] {"type", "type=xdp"},
            new String[] {"hook", "hook=tcx_ingress"},
            new String[] {"helper", "helper=bpf_fib_lookup"},
            new String[] {"license", "license=mit"},
            new String[] {"text+type+helper", "q=monitor&type=kprobe&helper=bpf_get_current_pid_tgid"},
            new String[] {"deep page", "q=flow&page=50&per_page=20"},
            new String[] {"kind word", "q=kprobe"},
            new String[] {"helper as text", "q=bpf_fib_lookup"},
            new String[] {"map type, page 2", "q=lru_hash&page=2"});

    @FunctionalInterface
    private interface Probe {
        long run(String query) throws Exception;
    }

    private static void measure(Probe probe) throws Exception {
        for (int i = 0; i < 20; i++) { // warm-up
            for (String[] q : MIX) {
                probe.run(q[1]);
            }
        }
        List<Long> all = new ArrayList<>();
        for (String[] q : MIX) {
            long[] t = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long s = System.nanoTime();
                probe.run(q[1]);
                t[i] = System.nanoTime() - s;
                all.add(t[i]);
            }
            Arrays.sort(t);
            System.out.printf("  %-18s p50 %6.2f ms  p99 %6.2f ms%n", q[0], t[RUNS / 2] / 1e6, t[RUNS * 99 / 100] / 1e6);
        }
        long[] t = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("  %-18s p50 %6.2f ms  p99 %6.2f ms  (%d searches)%n", "ALL", t[t.length / 2] / 1e6,
                t[t.length * 99 / 100] / 1e6, t.length);
    }

    private static SearchQuery query(String q) {
        Optional<String> text = Optional.empty();
        Optional<String> type = Optional.empty();
        Optional<String> hook = Optional.empty();
        Optional<String> helper = Optional.empty();
        Optional<String> license = Optional.empty();
        int page = 1;
        int perPage = 20;
        for (String kv : q.split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            String[] p = kv.split("=", 2);
            String v = java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8);
            switch (p[0]) {
                case "q" -> text = Optional.of(v);
                case "type" -> type = Optional.of(v);
                case "hook" -> hook = Optional.of(v);
                case "helper" -> helper = Optional.of(v);
                case "license" -> license = Optional.of(v);
                case "page" -> page = Integer.parseInt(v);
                case "per_page" -> perPage = Integer.parseInt(v);
                default -> throw new IllegalArgumentException(kv);
            }
        }
        return new SearchQuery(text, type, hook, helper, license, page, perPage);
    }

    /**
     * Writes packages through the manifest write path (manifest + tag + index row in one transaction each), by
     * {@code writers} threads; package i is drawn from a generator seeded with i, so any order gives the same data.
     */
    private static void generate(MetadataStore store, int n, int writers) throws Exception {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    generateOne(store, i);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void generateOne(MetadataStore store, int i) {
        Random random = new Random(42L * 1_000_003 + i);
        String name = WORDS[random.nextInt(WORDS.length)] + "-" + WORDS[random.nextInt(WORDS.length)] + "-pkg-" + i;
        String ns = "ns" + (i % 500);
        StringBuilder description = new StringBuilder();
        for (int w = 0; w < 8; w++) {
            description.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        List<String> types = pick(random, TYPES, 1 + random.nextInt(2));
        List<String> hooks = pick(random, HOOKS, 1 + random.nextInt(2));
        List<String> helpers = pick(random, HELPERS, 2 + random.nextInt(5));
        String license = LICENSES[random.nextInt(LICENSES.length)];
        String version = "1." + random.nextInt(20) + ".0";
        byte[] manifest = ("{\"schemaVersion\":2,\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.of(manifest);
        String metadata = "{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\",\"version\":\"" + version
                + "\",\"description\":\"" + description + "\",\"license\":\"" + license + "\"}";
        PackageRelease release = new PackageRelease(ns, name, version, digest.toString(), description.toString(),
                license, types, hooks, helpers, pick(random, MAP_TYPES, 1 + random.nextInt(2)), metadata);
        store.repositories().putManifest(new ManifestRecord(ns + "/" + name, digest,
                "application/vnd.oci.image.manifest.v1+json", manifest, Optional.empty(), Optional.empty(),
                Instant.now()), Optional.of(version), Optional.of(release));
        int downloads = random.nextInt(50);
        for (int d = 0; d < downloads % 3; d++) {
            store.packages().countDownload(ns + "/" + name, digest);
        }
    }

    private static List<String> pick(Random random, String[] from, int count) {
        TreeSet<String> out = new TreeSet<>();
        while (out.size() < count) {
            out.add(from[random.nextInt(from.length)]);
        }
        return List.copyOf(out);
    }
}
