package io.bpfstore.registry.bench;

import io.bpfstore.registry.packages.PackageRelease;
import io.bpfstore.store.image.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * A synthetic catalog of eBPF packages for search benchmarks, package {@code i} drawn from a generator seeded
 * with {@code i} (any order, any thread, the same data). Shaped like a real one: description words follow a
 * Zipf law over a few stop words, ~80 domain words and 5,000 rarer words; names are two or three domain words
 * (sometimes a rare one) and a unique suffix; namespaces are Zipf over 30,000 organisations; program types, hooks,
 * helpers, map types and licences are skewed as in public eBPF projects (XDP, kprobes and tracepoints common, GPL
 * first); most packages have one to three versions, some a pre-release, a few yanked ones; downloads have a
 * heavy tail (most packages 0–3, a few in the millions).
 */
public final class SearchCatalog {
    private static final String[] STOP = "the a and for of to with in on that".split(" ");
    /** Domain words, the commonest first. */
    static final String[] DOMAIN = ("packet filter trace network monitor socket latency flow counter drop tcp "
            + "kernel firewall syscall process rate limit udp dns http tls cgroup memory cpu scheduler block disk "
            + "io profile stack sample histogram balancer redirect mirror tunnel vxlan geneve nat conntrack policy "
            + "audit security lsm user probe tracepoint event ring buffer perf map hash array queue bloom lru "
            + "percpu metrics export prometheus exec file open ddos load xdp container pod kubernetes service mesh "
            + "observability bandwidth shaping qos ipv4 ipv6 icmp arp vlan bridge").split(" ");
    private static final int RARE = 5000;
    private static final String[] SYLLABLES = syllables();
    private static final double[] DESCRIPTION_CDF = zipf(STOP.length + DOMAIN.length + RARE, 1.0);
    private static final double[] DOMAIN_CDF = zipf(DOMAIN.length, 0.8);
    private static final double[] ORG_CDF = zipf(30_000, 0.9);
    private static final String[] TYPES = {"xdp", "kprobe", "tracepoint", "tc", "tcx", "fentry", "uprobe",
            "socket_filter", "cgroup_skb", "raw_tracepoint", "fexit", "lsm", "sk_msg", "perf_event"};
    private static final String[] HOOKS = {"xdp", "kprobe", "tracepoint", "tc_ingress", "tcx_ingress",
            "trace_fentry", "uprobe", "tc_egress", "tcx_egress", "cgroup_inet_ingress", "raw_tracepoint",
            "trace_fexit", "lsm_mac", "sk_msg_verdict", "perf_event"};
    private static final String[] MAP_TYPES = {"hash", "array", "ringbuf", "percpu_array", "perf_event_array",
            "lru_hash", "percpu_hash", "prog_array", "lpm_trie", "devmap", "sockmap", "bloom_filter"};
    private static final String[] HELPERS = {"bpf_map_lookup_elem", "bpf_map_update_elem", "bpf_ktime_get_ns",
            "bpf_get_current_pid_tgid", "bpf_map_delete_elem", "bpf_probe_read_kernel", "bpf_get_current_comm",
            "bpf_ringbuf_reserve", "bpf_ringbuf_submit", "bpf_trace_printk", "bpf_perf_event_output",
            "bpf_redirect", "bpf_xdp_adjust_head", "bpf_probe_read_user", "bpf_get_current_task", "bpf_csum_diff",
            "bpf_skb_load_bytes", "bpf_ringbuf_output", "bpf_get_prandom_u32", "bpf_redirect_map", "bpf_tail_call",
            "bpf_get_stackid", "bpf_spin_lock", "bpf_spin_unlock", "bpf_skb_store_bytes", "bpf_l3_csum_replace",
            "bpf_l4_csum_replace", "bpf_loop", "bpf_timer_init", "bpf_fib_lookup"};
    private static final double[] TYPE_CDF = zipf(TYPES.length, 1.0);
    private static final double[] HOOK_CDF = zipf(HOOKS.length, 1.0);
    private static final double[] MAP_CDF = zipf(MAP_TYPES.length, 1.0);
    private static final double[] HELPER_CDF = zipf(HELPERS.length, 0.9);
    private static final String[] LICENSES = {"GPL-2.0-only", "Dual BSD/GPL", "GPL-2.0-or-later", "MIT",
            "Apache-2.0", "BSD-2-Clause", "Dual MIT/GPL", "LGPL-2.1-or-later"};
    private static final double[] LICENSE_CDF = zipf(LICENSES.length, 1.3);

    private SearchCatalog() {
    }

    /**
     * One package: its versions oldest first, which of them are yanked, and the downloads of each.
     *
     * @param releases  what a push of each version indexes
     * @param manifests the manifest bytes of each version
     * @param yanked    whether each version is yanked
     * @param downloads downloads of each version
     */
    public record Package(List<PackageRelease> releases, List<byte[]> manifests, List<Boolean> yanked,
                          List<Long> downloads) {
        /** {@code namespace/name}. */
        public String repository() {
            return releases.getFirst().namespace() + "/" + releases.getFirst().name();
        }
    }

    /** Package {@code i}. */
    public static Package generate(int i) {
        Random random = new Random(0x5eedL * 1_000_003 + i);
        String namespace = "org-" + word(STOP.length + DOMAIN.length + draw(random, ORG_CDF) % RARE)
                + (draw(random, ORG_CDF) % 7);
        List<String> nameWords = new ArrayList<>();
        nameWords.add(DOMAIN[draw(random, DOMAIN_CDF)]);
        nameWords.add(DOMAIN[draw(random, DOMAIN_CDF)]);
        if (random.nextInt(4) == 0) {
            nameWords.add(word(STOP.length + DOMAIN.length + random.nextInt(RARE)));
        }
        String name = String.join("-", nameWords) + "-" + Integer.toString(i, 36);
        StringBuilder description = new StringBuilder();
        int words = 5 + random.nextInt(20);
        for (int w = 0; w < words; w++) {
            description.append(w == 0 ? "" : " ").append(word(draw(random, DESCRIPTION_CDF)));
        }
        List<String> types = pick(random, TYPES, TYPE_CDF, 1 + random.nextInt(2));
        List<String> hooks = pick(random, HOOKS, HOOK_CDF, 1 + random.nextInt(2));
        List<String> helpers = pick(random, HELPERS, HELPER_CDF, 2 + random.nextInt(7));
        List<String> maps = pick(random, MAP_TYPES, MAP_CDF, 1 + random.nextInt(3));
        String license = LICENSES[draw(random, LICENSE_CDF)];
        int versions = 1 + (random.nextInt(3) == 0 ? 1 + random.nextInt(4) : random.nextInt(2));
        boolean prerelease = random.nextInt(20) == 0;
        long total = (long) Math.pow(1 - random.nextDouble(), -1.6) - 1;
        List<PackageRelease> releases = new ArrayList<>();
        List<byte[]> manifests = new ArrayList<>();
        List<Boolean> yanked = new ArrayList<>();
        List<Long> downloads = new ArrayList<>();
        for (int v = 0; v < versions; v++) {
            boolean last = v == versions - 1;
            String version = last && prerelease ? "1." + v + ".0-rc.1" : "1." + v + ".0";
            byte[] manifest = manifest(i, version);
            String metadata = "{\"namespace\":\"" + namespace + "\",\"name\":\"" + name + "\",\"version\":\""
                    + version + "\",\"description\":\"" + description + "\",\"license\":\"" + license
                    + "\",\"programs\":" + json(types) + ",\"requirements\":{\"helpers\":" + json(helpers)
                    + ",\"map_types\":" + json(maps) + "}}";
            releases.add(new PackageRelease(namespace, name, version, Digest.of(manifest).toString(),
                    description.toString(), license, types, hooks, helpers, maps, metadata));
            manifests.add(manifest);
            yanked.add(random.nextInt(30) == 0);
            downloads.add(last ? total - total / 3 * (versions - 1) / versions : total / 3 / versions);
        }
        return new Package(releases, manifests, yanked, downloads);
    }

    /** The manifest of one version: an OCI image manifest with one config and one layer, unique per version. */
    private static byte[] manifest(int i, String version) {
        String config = Digest.of(("config " + i + " " + version).getBytes(StandardCharsets.UTF_8)).toString();
        String layer = Digest.of(("layer " + i + " " + version).getBytes(StandardCharsets.UTF_8)).toString();
        return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.bpfstore.package.config.v1+json\",\"digest\":\""
                + config + "\",\"size\":" + (300 + i % 700) + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.bpfstore.bpf.object.v1\",\"digest\":\"" + layer + "\",\"size\":"
                + (4000 + i % 60000) + "}]}").getBytes(StandardCharsets.UTF_8);
    }

    /** The word of description rank {@code r}: stop words, then domain words, then rare words. */
    static String word(int r) {
        if (r < STOP.length) {
            return STOP[r];
        }
        r -= STOP.length;
        if (r < DOMAIN.length) {
            return DOMAIN[r];
        }
        r -= DOMAIN.length;
        return SYLLABLES[r % SYLLABLES.length] + SYLLABLES[(r / SYLLABLES.length + 7 * r) % SYLLABLES.length]
                + SYLLABLES[(r * 31 + 3) % SYLLABLES.length];
    }

    /** A rare description word (rank 1,000..5,000 of the rare ones). */
    public static String rareWord(int k) {
        return word(STOP.length + DOMAIN.length + 1000 + k % 4000);
    }

    private static String[] syllables() {
        String consonants = "bdfgklmnprstvz";
        String vowels = "aeiou";
        List<String> out = new ArrayList<>();
        for (char c : consonants.toCharArray()) {
            for (char v : vowels.toCharArray()) {
                out.add("" + c + v);
            }
        }
        return out.toArray(String[]::new);
    }

    private static double[] zipf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, s);
            cdf[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cdf[k] /= sum;
        }
        return cdf;
    }

    private static int draw(Random random, double[] cdf) {
        int at = java.util.Arrays.binarySearch(cdf, random.nextDouble());
        return Math.min(at >= 0 ? at : -at - 1, cdf.length - 1);
    }

    private static List<String> pick(Random random, String[] from, double[] cdf, int count) {
        TreeSet<String> out = new TreeSet<>();
        while (out.size() < Math.min(count, from.length)) {
            out.add(from[draw(random, cdf)]);
        }
        return List.copyOf(out);
    }

    private static String json(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
}
