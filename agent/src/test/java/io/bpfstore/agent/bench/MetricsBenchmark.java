package io.bpfstore.agent.bench;

import io.bpfstore.agent.metrics.AgentMetrics;
import io.bpfstore.agent.local.StateSource;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.InstallService;
import io.bpfstore.install.PausePoints;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.Target;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.install.api.TrafficDirection;
import io.bpfstore.install.api.Trust;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.dispatch.ComposedProgram;
import io.bpfstore.kernel.dispatch.MemberRuns;
import io.bpfstore.kernel.dispatch.XdpComposer;
import io.bpfstore.kernel.dispatch.XdpMember;
import io.bpfstore.kernel.ObjectIds;
import io.bpfstore.kernel.RunStatistics;
import io.bpfstore.kernel.TestRun;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Benchmark (bench/agent-metrics/run): (1) one {@code /metrics} scrape (collect and write the text format) with N
 * installed tc programs (tcx, spread over the ingress and egress hooks of veth interfaces in a namespace the script
 * made); (2) the per-run cost BPF_ENABLE_STATS adds, from BPF_PROG_TEST_RUN of xdp_counter with statistics off and
 * on. Prints figures; asserts nothing.
 *
 * <p>Arguments: objects dir, netns, interface prefix, interface count, bpffs folder, state dir, installations.
 */
public final class MetricsBenchmark {
    private MetricsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path objects = Path.of(args[0]);
        String netns = args[1];
        String prefix = args[2];
        int interfaces = Integer.parseInt(args[3]);
        InstallLayout layout = new InstallLayout(Path.of(args[5]), Path.of(args[4]));
        int installations = Integer.parseInt(args[6]);

        statsOverhead(objects.resolve("xdp_counter.o"));
        memberCountOverhead(objects.resolve("xdp_counter.o"));

        String pkg = objects.resolve("tc_port_drop.o").toString();
        InstallService in = new InstallService(layout, PausePoints.none(), java.util.Map.of(), line -> { },
                io.bpfstore.store.client.ProgressBar.silent());
        Trust trust = new Trust(Optional.empty(), List.of(), true, Optional.empty());
        {
            long t0 = System.nanoTime();
            for (int i = 0; i < installations; i++) {
                int hook = i % (2 * interfaces);
                Target target = new Target(Optional.of(prefix + (hook / 2)), Optional.of(netns),
                        Optional.of(hook % 2 == 0 ? TrafficDirection.INGRESS : TrafficDirection.EGRESS),
                        Optional.of(TcMode.TCX), Optional.empty());
                in.install(new InstallRequest(pkg, target, Optional.empty(), Optional.of("p" + i), Optional.empty(),
                        Optional.empty(), false, true, trust, java.util.Map.of()));
                if ((i + 1) % 100 == 0) {
                    System.err.printf("installed %d (%.1f s)%n", i + 1, (System.nanoTime() - t0) / 1e9);
                }
            }
            System.out.printf("installed %d tc programs on %d hooks in %.1f s%n", installations, 2 * interfaces,
                    (System.nanoTime() - t0) / 1e9);
        }
        // the agent's own source: the state database under its lock, records kept while it is quiet
        StateSource source = new StateSource(layout);
        // the scrape as it was before (BaseHostCollector), timed in the same rounds over the same installations
        PrometheusRegistry baseRegistry = new PrometheusRegistry();
        baseRegistry.register(new BaseHostCollector(source));
        PrometheusTextFormatWriter baseWriter = PrometheusTextFormatWriter.create();
        try (AgentMetrics metrics = AgentMetrics.start(source)) {
            Variant base = new Variant("base (install's status, client library model)", () -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                baseWriter.write(out, baseRegistry.scrape());
                return out.toByteArray().length; // as the metrics server had it: the text copied out once
            });
            Variant now = new Variant("one pass, text written directly", () -> {
                int[] size = new int[1];
                metrics.scrape((bytes, length) -> size[0] = length);
                return size[0];
            });
            for (int i = 0; i < 3; i++) {
                base.run(false); // warm-up
                now.run(false);
            }
            compareSeries(baseWriter, baseRegistry, metrics);
            int rounds = 15;
            for (int i = 0; i < rounds; i++) {
                if (i % 2 == 0) { // alternate which goes first in a round
                    base.run(true);
                    now.run(true);
                } else {
                    now.run(true);
                    base.run(true);
                }
            }
            long reads = source.lockedReads();
            int programs = ObjectIds.PROGRAM.list().size();
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            System.out.printf("/metrics scrape with %d installed programs (%d programs on the host; state database read "
                    + "%d times in %d scrapes), %d rounds, each variant once a round, alternating which goes first; load "
                    + "average %.1f:%n", installations, programs, reads, 2 * (rounds + 3), rounds, os.getSystemLoadAverage());
            base.print();
            now.print();
            // SCRAPES=N: N more scrapes of the agent's collector alone (for a profiler attached to this run, and for
            // the process's CPU time without the base variant's garbage and with the JIT's work done)
            int more = Integer.parseInt(System.getenv().getOrDefault("SCRAPES", "0"));
            if (more > 0) {
                System.gc(); // the base variant's garbage is not this variant's
                var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                long p = os.getProcessCpuTime();
                long c = threads.getCurrentThreadCpuTime();
                long w = System.nanoTime();
                for (int i = 0; i < more; i++) {
                    now.run(false);
                }
                System.out.printf("  %d more scrapes of the agent's collector alone: wall mean %.1f ms, thread CPU mean %.1f "
                        + "ms, process CPU (all threads) mean %.1f ms; load average %.1f%n", more,
                        (System.nanoTime() - w) / 1e6 / more, (threads.getCurrentThreadCpuTime() - c) / 1e6 / more,
                        (os.getProcessCpuTime() - p) / 1e6 / more, os.getSystemLoadAverage());
            }
        }
    }

    /** One way to scrape, with its figures per run: wall time, the thread's CPU time and allocation, the process's CPU. */
    private static final class Variant {
        private final String name;
        private final java.util.concurrent.Callable<Integer> scrape;
        private final List<Long> wall = new ArrayList<>();
        private final List<Long> cpu = new ArrayList<>();
        private final List<Long> allocated = new ArrayList<>();
        private final List<Long> process = new ArrayList<>();
        private int size;

        Variant(String name, java.util.concurrent.Callable<Integer> scrape) {
            this.name = name;
            this.scrape = scrape;
        }

        void run(boolean record) throws Exception {
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            long a = threads.getCurrentThreadAllocatedBytes();
            long p = os.getProcessCpuTime();
            long c = threads.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            size = scrape.call();
            long w = System.nanoTime() - s;
            long cc = threads.getCurrentThreadCpuTime() - c;
            long pp = os.getProcessCpuTime() - p;
            long aa = threads.getCurrentThreadAllocatedBytes() - a;
            if (record) {
                wall.add(w);
                cpu.add(cc);
                process.add(pp);
                allocated.add(aa);
            }
        }

        void print() {
            System.out.printf("  %s: wall median %.1f ms (min %.1f, max %.1f); thread CPU median %.1f ms (min %.1f, max "
                    + "%.1f); process CPU (all threads, GC and JIT included) mean %.1f ms; allocated by the thread median "
                    + "%.1f MB; %d bytes of text%n", name, median(wall) / 1e6, min(wall) / 1e6, max(wall) / 1e6,
                    median(cpu) / 1e6, min(cpu) / 1e6, max(cpu) / 1e6,
                    process.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6, median(allocated) / 1e6, size);
        }

        private static double median(List<Long> v) {
            return v.stream().sorted().toList().get(v.size() / 2);
        }

        private static double min(List<Long> v) {
            return v.stream().mapToLong(Long::longValue).min().orElse(0);
        }

        private static double max(List<Long> v) {
            return v.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    /**
     * Whether both scrapes give the same series (names and label sets) and the same values for the series that do not
     * move between two reads (all but run counts and times): printed, not asserted.
     */
    private static void compareSeries(PrometheusTextFormatWriter baseWriter, PrometheusRegistry baseRegistry,
                                      AgentMetrics metrics) throws java.io.IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        baseWriter.write(b, baseRegistry.scrape());
        java.util.Map<String, Double> base = series(b.toString());
        java.util.Map<String, Double> now = series(new String(scrape(metrics)));
        now.keySet().removeIf(k -> k.startsWith("bpfstore_events_total"));
        long differ = base.entrySet().stream().filter(e -> !e.getKey().startsWith("bpfstore_program_run")
                && !e.getValue().equals(now.get(e.getKey()))).count();
        System.out.printf("series: base %d, now %d, same names and labels: %s; values differing outside run counts and "
                + "times: %d%n", base.size(), now.size(), base.keySet().equals(now.keySet()), differ);
    }

    private static java.util.Map<String, Double> series(String text) {
        java.util.Map<String, Double> out = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return out;
    }

    private static byte[] scrape(AgentMetrics metrics) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toByteArray();
    }

    /** ns per run of xdp_counter under BPF_PROG_TEST_RUN, statistics off and on, alternating, 7 rounds each. */
    private static void statsOverhead(Path object) throws Exception {
        String enabled = Files.readString(Path.of("/proc/sys/kernel/bpf_stats_enabled")).strip();
        if (!enabled.equals("0")) {
            System.out.println("note: kernel.bpf_stats_enabled is " + enabled + ": another process counts too; the 'off' "
                    + "figure below is then not a true baseline");
        }
        BpfObject obj = BpfObject.parse(Files.readAllBytes(object), "xdp_counter");
        byte[] packet = udpPacket();
        int repeat = 2_000_000;
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        try (LoadedObject loaded = Loader.load(obj, LoadOptions.defaults().withoutPinning())) {
            BpfProgram p = loaded.program("xdp_count");
            TestRun run = new TestRun(packet, new byte[0], repeat, 256);
            p.testRun(run); // warm-up
            for (int round = 0; round < 7; round++) {
                off.add((double) p.testRun(run).durationNanos());
                try (RunStatistics stats = RunStatistics.enable()) {
                    on.add((double) p.testRun(run).durationNanos());
                }
            }
        }
        double a = median(off);
        double b = median(on);
        System.out.printf("BPF_ENABLE_STATS per-run cost (xdp_counter, BPF_PROG_TEST_RUN x %d, median of 7): off %.1f ns, "
                + "on %.1f ns, added %.1f ns per run (%.0f%%)%n", repeat, a, b, b - a, 100 * (b - a) / a);
    }

    /**
     * ns per run that counting a composed member's runs adds: xdp_counter composed alone, without and with its
     * MemberRuns counter, by BPF_PROG_TEST_RUN (alternating, 7 rounds each, statistics off).
     */
    private static void memberCountOverhead(Path object) throws Exception {
        BpfObject obj = BpfObject.parse(Files.readAllBytes(object), "xdp_counter");
        int repeat = 2_000_000;
        List<Double> plain = new ArrayList<>();
        List<Double> counted = new ArrayList<>();
        try (LoadedObject loaded = Loader.load(obj, LoadOptions.defaults().withoutPinning());
             BpfMap counter = MemberRuns.create()) {
            XdpMember member = XdpMember.of("counter", obj, "xdp_count", 1, loaded.maps());
            try (ComposedProgram without = XdpComposer.compose(List.of(member), LoadOptions.defaults());
                 ComposedProgram with = XdpComposer.compose(List.of(member.countedIn(counter)), LoadOptions.defaults())) {
                TestRun run = new TestRun(udpPacket(), new byte[0], repeat, 256);
                without.program().testRun(run);
                with.program().testRun(run);
                for (int round = 0; round < 7; round++) {
                    plain.add((double) without.program().testRun(run).durationNanos());
                    counted.add((double) with.program().testRun(run).durationNanos());
                }
                long runs = MemberRuns.read(counter);
                double a = median(plain);
                double b = median(counted);
                System.out.printf("per-member run count (xdp_counter composed alone, BPF_PROG_TEST_RUN x %d, median of 7): "
                        + "without %.1f ns, with %.1f ns, added %.1f ns per member run (counter read %d runs, expected %d)%n",
                        repeat, a, b, b - a, runs, 8L * repeat);
            }
        }
    }

    private static byte[] udpPacket() {
        byte[] packet = new byte[64];
        packet[12] = 0x08; // IPv4 ethertype, so the program parses an IP header
        packet[14] = 0x45;
        packet[23] = 17;
        return packet;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
