package io.bpfstore.analysis.clash;

import io.bpfstore.analysis.summary.PacketSummarizer;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Figures for the clash checks (run by {@code bench/clash/run}): (1) one package checked against a synthetic host
 * inventory of 1,000 attached programs — legacy tc filters and tcx programs on the interface's hooks, cgroup programs
 * on the target cgroup and its ancestors, sk_lookup programs — median and 95th percentile over many runs after a
 * warm-up; (2) the semantic analysis (packet summary) time of every program of the example catalog.
 */
public final class ClashBenchmark {
    private static final int HOST_PROGRAMS = 1000;

    private ClashBenchmark() {
    }

    /**
     * @param args {@code [dir]}: the compiled example catalog, default {@code examples/target/bpf}
     * @throws IOException if an object cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "examples/target/bpf");
        HostView host = syntheticHost();
        cpu(dir, host);
        if (args.length > 1 && args[1].equals("--cpu-only")) {
            return;
        }
        System.out.println("1) one package against a host of " + (host.occupants().size() + host.cgroups().size()
                + host.netnsHooks().size()) + " attached programs (ms per check)");
        System.out.println("   first: the first check of a freshly parsed package, its semantic analysis included;");
        System.out.println("   median/p95/max: repeated checks (the package's summaries are cached per parsed object)");
        System.out.printf("%-22s %10s %10s %10s %10s %9s%n", "package", "first", "median", "p95", "max", "findings");
        for (String name : List.of("tc_port_drop.o", "tc_flow_bytes.o", "xdp_firewall.o", "cgroup_firewall.o")) {
            for (int i = 0; i < 5; i++) { // warm the JIT on fresh parses, so "first" measures analysis, not start-up
                ClashDetector.check(List.of(new CheckedPackage(name, BpfObject.read(dir.resolve(name)))), host);
            }
            CheckedPackage pkg = new CheckedPackage(name, BpfObject.read(dir.resolve(name)));
            Summaries.clear();
            long cold = System.nanoTime();
            int findings = ClashDetector.check(List.of(pkg), host).findings().size();
            double first = (System.nanoTime() - cold) / 1e6;
            for (int i = 0; i < 200; i++) {
                findings = ClashDetector.check(List.of(pkg), host).findings().size();
            }
            double[] ms = new double[500];
            for (int i = 0; i < ms.length; i++) {
                long t = System.nanoTime();
                ClashDetector.check(List.of(pkg), host);
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf("%-22s %10.3f %10.3f %10.3f %10.3f %9d%n", name, first, ms[ms.length / 2],
                    ms[(int) (ms.length * 0.95)], ms[ms.length - 1], findings);
        }

        System.out.println();
        System.out.println("2) semantic analysis per program of the example catalog (ms per packet summary)");
        System.out.printf("%-24s %-22s %8s %12s%n", "object", "program", "insns", "ms/summary");
        List<Path> objects;
        try (Stream<Path> s = Files.list(dir)) {
            objects = s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
        }
        double total = 0;
        int count = 0;
        for (Path p : objects) {
            BpfObject object = BpfObject.read(p);
            for (Program program : object.programs()) {
                for (int i = 0; i < 20; i++) {
                    PacketSummarizer.summarize(object, program);
                }
                int runs = 50;
                long t = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    PacketSummarizer.summarize(object, program);
                }
                double ms = (System.nanoTime() - t) / 1e6 / runs;
                total += ms;
                count++;
                System.out.printf("%-24s %-22s %8d %12.3f%n", p.getFileName(), program.name(), program.totalSlots(),
                        ms);
            }
        }
        System.out.printf("mean over %d programs: %.3f ms%n", count, total / count);
    }

    /**
     * Thread CPU time (less disturbed than wall time on a loaded machine) of first checks against {@code host}, each
     * of a freshly parsed package, and of the xdp_firewall summary: minimum and median over 40 runs after a warm-up.
     */
    private static void cpu(Path dir, HostView host) throws IOException {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        System.out.println("0) thread CPU ms, min / median of 40 after warm-up; every check of a fresh parse. first: no"
                + " summary known; re-check: summaries known by digest (the agent's re-check after a host change)");
        for (String name : List.of("tc_port_drop.o", "tc_flow_bytes.o", "xdp_firewall.o")) {
            for (boolean again : new boolean[] {false, true}) {
                double[] ms = new double[40];
                for (int i = -40; i < ms.length; i++) {
                    CheckedPackage pkg = new CheckedPackage(name, BpfObject.read(dir.resolve(name)));
                    if (!again) {
                        Summaries.clear();
                    }
                    long t = threads.getCurrentThreadCpuTime();
                    ClashDetector.check(List.of(pkg), host);
                    if (i >= 0) {
                        ms[i] = (threads.getCurrentThreadCpuTime() - t) / 1e6;
                    }
                }
                Arrays.sort(ms);
                System.out.printf("   %-11s %-18s %8.2f %8.2f%n", again ? "re-check" : "first check", name, ms[0],
                        ms[ms.length / 2]);
            }
        }
        BpfObject firewall = BpfObject.read(dir.resolve("xdp_firewall.o"));
        Program program = firewall.programs().getFirst();
        double[] ms = new double[40];
        for (int i = -40; i < ms.length; i++) {
            long t = threads.getCurrentThreadCpuTime();
            PacketSummarizer.summarize(firewall, program);
            if (i >= 0) {
                ms[i] = (threads.getCurrentThreadCpuTime() - t) / 1e6;
            }
        }
        Arrays.sort(ms);
        System.out.printf("   summary of xdp_firewall/%-10s %8.2f %8.2f%n", program.name(), ms[0], ms[ms.length / 2]);
    }

    /** 1,000 programs: 400 tc filters and tcx programs on veth0, 500 cgroup programs, 100 sk_lookup programs. */
    static HostView syntheticHost() {
        List<HostView.HookOccupant> onInterface = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            onInterface.add(new HostView.HookOccupant(i % 2 == 0 ? Hook.TC_INGRESS : Hook.TC_EGRESS, 1000 + i,
                    "cls_" + i, HostView.AttachMode.TC_FILTER, 1 + i, 1));
            onInterface.add(new HostView.HookOccupant(i % 2 == 0 ? Hook.TC_INGRESS : Hook.TC_EGRESS, 2000 + i,
                    "tcx_" + i, HostView.AttachMode.LINK, 0, 0));
        }
        List<HostView.CgroupOccupant> cgroups = new ArrayList<>();
        List<AttachType> hooks = List.of(AttachType.CGROUP_INET_INGRESS, AttachType.CGROUP_INET_EGRESS,
                AttachType.CGROUP_INET_SOCK_CREATE,
                AttachType.CGROUP_SOCK_OPS, AttachType.CGROUP_INET4_CONNECT, AttachType.CGROUP_SYSCTL);
        for (int i = 0; i < 500; i++) {
            cgroups.add(new HostView.CgroupOccupant(i < 250 ? "/sys/fs/cgroup/app" : "/sys/fs/cgroup", i >= 250,
                    hooks.get(i % hooks.size()), 3000 + i, "cg_" + i, HostView.CgroupOccupant.ALLOW_MULTI));
        }
        List<HostView.NetnsOccupant> netns = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            netns.add(new HostView.NetnsOccupant(AttachType.SK_LOOKUP, 4000 + i, "lookup_" + i, true));
        }
        return HostView.none().withInterface("veth0", "", onInterface).withCgroup("/sys/fs/cgroup/app", cgroups)
                .withNetnsHooks(netns).withStructOps(Map.of("tcp_congestion_ops", Set.of("reno", "cubic")));
    }
}
