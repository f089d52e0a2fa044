package io.bpfstore.analysis.clash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios: sets of packages from the example catalog and purpose-written C programs, each asserting the finding's
 * class, the objects it names and the traffic, and compatible sets asserting that nothing is found.
 */
class ClashScenariosTest {
    @TempDir
    static Path work;

    static CheckedPackage sshDrop, sshTx, dnsTx, tcObserver;

    @BeforeAll
    static void compile() throws Exception {
        sshDrop = Material.compile(work, "ssh_drop", Material.HEADERS + xdpPort("ssh_drop", "tcp", 22, "XDP_DROP"));
        sshTx = Material.compile(work, "ssh_tx", Material.HEADERS + xdpPort("ssh_tx", "tcp", 22, "XDP_TX"));
        dnsTx = Material.compile(work, "dns_tx", Material.HEADERS + xdpPort("dns_tx", "udp", 53, "XDP_TX"));
        tcObserver = Material.compile(work, "tc_observer", Material.HEADERS + """
                struct {
                	__uint(type, BPF_MAP_TYPE_ARRAY);
                	__uint(max_entries, 1);
                	__type(key, __u32);
                	__type(value, __u64);
                } seen SEC(".maps");

                SEC("tc")
                int tc_observe(struct __sk_buff *skb)
                {
                	__u32 k = 0;
                	__u64 *v = bpf_map_lookup_elem(&seen, &k);
                	if (v)
                		__sync_fetch_and_add(v, 1);
                	return TC_ACT_UNSPEC;
                }
                """);
    }

    /**
     * An XDP program {@code name} that returns {@code verdict} for IPv4 {@code l4} ("tcp" or "udp") packets to
     * destination port {@code port}, and XDP_PASS for everything else.
     */
    private static String xdpPort(String name, String l4, int port, String verdict) {
        return """
                SEC("xdp")
                int %1$s(struct xdp_md *ctx)
                {
                	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
                	struct ethhdr *eth = data;
                	struct iphdr *ip = data + sizeof(*eth);
                	struct %2$shdr *l4 = (void *)(ip + 1);
                	if ((void *)(l4 + 1) > end)
                		return XDP_PASS;
                	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_%3$s)
                		return XDP_PASS;
                	return l4->dest == bpf_htons(%4$d) ? %5$s : XDP_PASS;
                }
                """.formatted(name, l4, l4.toUpperCase(java.util.Locale.ROOT), port, verdict);
    }

    private static ClashReport check(CheckedPackage... packages) {
        return ClashDetector.check(List.of(packages), HostView.none());
    }

    private static Finding only(ClashReport report, FindingClass kind) {
        List<Finding> found = report.of(kind);
        assertEquals(1, found.size(), () -> String.join("\n", report.lines()));
        return found.getFirst();
    }

    private static List<String> traffic(Finding f) {
        return f.subjects(Subject.Traffic.class).stream().map(Subject.Traffic::description).toList();
    }

    private static Set<String> programs(Finding f) {
        return f.subjects(Subject.ProgramRef.class).stream().map(Subject.ProgramRef::name).collect(Collectors.toSet());
    }

    @Test
    void firewallDroppingSshBeforeCounterHidesTcp22FromIt() throws Exception {
        ClashReport report = check(sshDrop, Material.example("xdp_counter.o"));
        Finding f = only(report, FindingClass.SEMANTIC_OVERLAP);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(List.of("IPv4 TCP dst port 22"), traffic(f));
        assertEquals(Set.of("ssh_drop", "xdp_count"), programs(f));
        assertTrue(f.message().contains("XDP_DROP") && f.message().contains("never sees"), f.message());
        assertTrue(f.fix().contains("attach xdp_count"), f.fix());
        assertFalse(report.hasErrors(), () -> String.join("\n", report.lines()));
    }

    @Test
    void counterBeforeFirewallSeesEverything() throws Exception {
        ClashReport report = check(Material.example("xdp_counter.o"), sshDrop);
        assertEquals(List.of(), report.of(FindingClass.SEMANTIC_OVERLAP), () -> String.join("\n", report.lines()));
        assertEquals(List.of(), report.of(FindingClass.CHAIN_ORDER));
        // Two XDP packages on one interface: only a dispatcher runs both.
        Finding hook = only(report, FindingClass.EXCLUSIVE_HOOK);
        assertEquals(Severity.WARNING, hook.severity());
        assertEquals(Set.of("ssh_drop", "xdp_count"), programs(hook));
    }

    @Test
    void disjointTrafficDoesNotClash() {
        ClashReport report = check(sshDrop, dnsTx);
        assertEquals(List.of(), report.of(FindingClass.SEMANTIC_OVERLAP), () -> String.join("\n", report.lines()));
        ClashReport reverse = check(dnsTx, sshDrop);
        assertEquals(List.of(), reverse.of(FindingClass.SEMANTIC_OVERLAP), () -> String.join("\n", reverse.lines()));
    }

    @Test
    void programSendingSshBackBypassesTheFirewallBehindIt() {
        ClashReport report = check(sshTx, sshDrop);
        Finding f = only(report, FindingClass.SEMANTIC_OVERLAP);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(List.of("IPv4 TCP dst port 22"), traffic(f));
        assertTrue(f.message().contains("XDP_TX") && f.message().contains("XDP_DROP"), f.message());
        assertTrue(report.hasErrors());
    }

    @Test
    void firewallInFrontOfAServiceIsAWarning() {
        ClashReport report = check(sshDrop, sshTx);
        Finding f = only(report, FindingClass.SEMANTIC_OVERLAP);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(List.of("IPv4 TCP dst port 22"), traffic(f));
    }

    @Test
    void exampleFirewallBeforeExampleCounterNamesTheDeniedSources() throws Exception {
        ClashReport report = check(Material.example("xdp_firewall.o"), Material.example("xdp_counter.o"));
        Finding f = only(report, FindingClass.SEMANTIC_OVERLAP);
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(traffic(f).contains("IPv4 src in map deny_src_v4"), traffic(f)::toString);
        assertEquals(Set.of("xdp_firewall", "xdp_count"), programs(f));
    }

    @Test
    void tcAccountingThatReturnsOkHidesEverythingFromThePortDrop() throws Exception {
        ClashReport report = check(Material.example("tc_flow_bytes.o"), Material.example("tc_port_drop.o"));
        Finding f = only(report, FindingClass.SEMANTIC_OVERLAP);
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(traffic(f).getFirst().startsWith("any traffic"), traffic(f)::toString);
        assertTrue(f.message().contains("TC_ACT_OK") && f.message().contains("TC_ACT_SHOT"), f.message());
        assertTrue(f.fix().contains("TC_ACT_UNSPEC"), f.fix());
        assertEquals(Set.of("tc_flow_account", "tc_drop_port"), programs(f));
    }

    @Test
    void tcObserverThatContinuesTheChainIsCompatible() throws Exception {
        ClashReport report = check(tcObserver, Material.example("tc_port_drop.o"));
        assertEquals(List.of(), report.findings(), () -> String.join("\n", report.lines()));
    }

    @Test
    void programsOnDifferentHooksDoNotClash() throws Exception {
        ClashReport report = check(Material.example("xdp_firewall.o"), Material.example("tc_flow_bytes.o"),
                Material.example("cgroup_firewall.o"), Material.example("exec_trace.o"),
                Material.example("sock_redirect.o"));
        assertEquals(List.of(), report.findings(), () -> String.join("\n", report.lines()));
    }

    @Test
    void noExampleClashesWithItselfAlone() throws Exception {
        try (var files = Files.list(Path.of(System.getProperty("bpf.objects")))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".o")).sorted().toList()) {
                ClashReport report = check(Material.example(p.getFileName().toString()));
                assertEquals(List.of(), report.findings(), () -> p + ":\n" + String.join("\n", report.lines()));
            }
        }
    }

    @Test
    void pinnedMapsWithDifferentDefinitionsClash() throws Exception {
        CheckedPackage a = Material.compile(work, "pin_a", Material.HEADERS + pinned("__u64", "prog_a"));
        CheckedPackage b = Material.compile(work, "pin_b", Material.HEADERS + pinned("struct pair", "prog_b"));
        CheckedPackage same = Material.compile(work, "pin_c", Material.HEADERS + pinned("__u64", "prog_c"));
        Finding f = only(check(a, b), FindingClass.PINNED_MAP);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(List.of(new Subject.MapRef("pin_a.o", "shared_stats"),
                        new Subject.MapRef("pin_b.o", "shared_stats")),
                f.subjects(Subject.MapRef.class));
        assertTrue(f.message().contains("value 8 B") && f.message().contains("value 16 B"), f.message());
        assertEquals(List.of(), check(a, same).of(FindingClass.PINNED_MAP), "same definition: shared on purpose");
        HostView host = new HostView(Optional.empty(), Optional.empty(), "", List.of(), Map.of("shared_stats",
                new HostView.PinnedMap("/sys/fs/bpf/shared_stats", 99, "shared_stats", 1, 4, 16, 64, 0)));
        Finding pin = only(ClashDetector.check(List.of(a), host), FindingClass.PINNED_MAP);
        assertEquals(List.of(new Subject.ForeignMap(99, "shared_stats", "/sys/fs/bpf/shared_stats")),
                pin.subjects(Subject.ForeignMap.class));
        assertEquals(List.of(), ClashDetector.check(List.of(b), host).findings(), "same definition as the pin");
    }

    private static String pinned(String value, String prog) {
        return """
                struct pair {
                	__u64 packets;
                	__u64 bytes;
                };

                struct {
                	__uint(type, BPF_MAP_TYPE_HASH);
                	__uint(max_entries, 64);
                	__uint(pinning, LIBBPF_PIN_BY_NAME);
                	__type(key, __u32);
                	__type(value, VALUE);
                } shared_stats SEC(".maps");

                SEC("tracepoint/syscalls/sys_enter_getpid")
                int PROG(void *ctx)
                {
                	__u32 k = 1;
                	return bpf_map_lookup_elem(&shared_stats, &k) != 0;
                }
                """.replace("VALUE", value).replace("PROG", prog);
    }

    @Test
    void kfuncsMissingFromTheKernelBtfDoNotFit() throws Exception {
        Btf vmlinux = Btf.parse(Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux")));
        HostView.KernelSupport kernel = new HostView.KernelSupport(EnumSet.allOf(ProgramType.class),
                EnumSet.allOf(MapType.class), allHelpers(), Set.of(),
                name -> vmlinux.find(name, BtfType.Func.class).isPresent(), "this kernel");
        CheckedPackage k = Material.compile(work, "kfuncs", Material.HEADERS + """
                extern void bpf_rcu_read_lock(void) __ksym;
                extern void bpf_rcu_read_unlock(void) __ksym;
                extern void bst_no_such_kfunc(void) __ksym;

                SEC("tc")
                int uses_kfuncs(struct __sk_buff *skb)
                {
                	bpf_rcu_read_lock();
                	bst_no_such_kfunc();
                	bpf_rcu_read_unlock();
                	return TC_ACT_UNSPEC;
                }
                """);
        HostView host = new HostView(Optional.of(kernel), Optional.empty(), "", List.of());
        Finding f = only(ClashDetector.check(List.of(k), host), FindingClass.KERNEL_FIT);
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.message().contains("kfunc bst_no_such_kfunc"), f.message());
        assertFalse(f.message().contains("bpf_rcu_read_lock"),
                "the kernel's BTF has bpf_rcu_read_lock: " + f.message());
        assertEquals(List.of(new Subject.ProgramRef("kfuncs.o", "uses_kfuncs")), f.subjects(Subject.ProgramRef.class));
    }

    @Test
    void mapTypesAndHelpersTheKernelLacksDoNotFit() throws Exception {
        CheckedPackage exec = Material.example("exec_trace.o");
        Set<Integer> ringbufHelpers = io.bpfstore.bytecode.helpers.HelperCatalog.bundled().all().stream()
                .filter(h -> h.name().startsWith("bpf_ringbuf_")).map(h -> h.id()).collect(Collectors.toSet());
        assertFalse(ringbufHelpers.isEmpty());
        Map<ProgramType, Set<Integer>> helpers = allHelpers();
        helpers.put(ProgramType.TRACEPOINT, helpers.get(ProgramType.TRACEPOINT).stream()
                .filter(id -> !ringbufHelpers.contains(id)).collect(Collectors.toSet()));
        EnumSet<MapType> maps = EnumSet.allOf(MapType.class);
        maps.remove(MapType.RINGBUF);
        HostView.KernelSupport kernel = new HostView.KernelSupport(EnumSet.allOf(ProgramType.class), maps, helpers,
                Set.of(), name -> true, "old");
        ClashReport report = ClashDetector.check(List.of(exec), new HostView(Optional.of(kernel), Optional.empty(),
                "", List.of()));
        List<Finding> fit = report.of(FindingClass.KERNEL_FIT);
        List<Subject.MapRef> maps0 = fit.stream().flatMap(f -> f.subjects(Subject.MapRef.class).stream()).toList();
        assertEquals(List.of(new Subject.MapRef("exec_trace.o", "exec_events")), maps0,
                () -> String.join("\n", report.lines()));
        assertTrue(fit.stream().anyMatch(f -> f.message().contains("helper bpf_ringbuf_")),
                () -> String.join("\n", report.lines()));
        assertEquals(2, fit.size(), () -> String.join("\n", report.lines()));
    }

    private static Map<ProgramType, Set<Integer>> allHelpers() {
        Set<Integer> all = IntStream.rangeClosed(0, io.bpfstore.bytecode.helpers.HelperCatalog.bundled().maxId())
                .boxed().collect(Collectors.toSet());
        Map<ProgramType, Set<Integer>> helpers = new HashMap<>();
        for (ProgramType t : ProgramType.values()) {
            helpers.put(t, all);
        }
        return helpers;
    }

    @Test
    void foreignXdpProgramHoldsTheInterface() throws Exception {
        HostView host = new HostView(Optional.empty(), Optional.of("veth0"), "bst-ns",
                List.of(new HostView.HookOccupant(Hook.XDP, 42, "cil_xdp"),
                        new HostView.HookOccupant(Hook.TC_INGRESS, 43, "cil_tc")));
        ClashReport report = ClashDetector.check(List.of(Material.example("xdp_firewall.o")), host);
        Finding f = only(report, FindingClass.EXCLUSIVE_HOOK);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(List.of(new Subject.ForeignProgram(42, "cil_xdp")), f.subjects(Subject.ForeignProgram.class));
        assertEquals(List.of(new Subject.InterfaceRef("veth0", "bst-ns")), f.subjects(Subject.InterfaceRef.class));
        assertTrue(f.fix().contains("detach program 42 'cil_xdp'") && f.fix().contains("dispatcher"), f.fix());
        assertTrue(report.hasErrors());
    }

    @Test
    void foreignTcProgramOnTheSameHookIsAChainOrderWarning() throws Exception {
        HostView host = new HostView(Optional.empty(), Optional.of("veth1"), "",
                List.of(new HostView.HookOccupant(Hook.TC_INGRESS, 7, "other_tc"),
                        new HostView.HookOccupant(Hook.TC_EGRESS, 8, "egress_only")));
        ClashReport report = ClashDetector.check(List.of(Material.example("tc_port_drop.o")), host);
        Finding f = only(report, FindingClass.CHAIN_ORDER);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(List.of(new Subject.ForeignProgram(7, "other_tc")), f.subjects(Subject.ForeignProgram.class));
        assertEquals(1, report.findings().size(), () -> String.join("\n", report.lines()));
        assertFalse(report.hasErrors());
    }

    @Test
    void tailCallTargetsSpeakForTheirDispatcher() throws Exception {
        CheckedPackage tails = Material.compile(work, "tail_drop", Material.HEADERS + """
                struct {
                	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
                	__uint(max_entries, 1);
                	__type(key, __u32);
                	__type(value, __u32);
                } jump SEC(".maps");

                SEC("xdp")
                int tail_entry(struct xdp_md *ctx)
                {
                	bpf_tail_call(ctx, &jump, 0);
                	return XDP_PASS;
                }

                """ + xdpPort("tail_target", "udp", 4789, "XDP_DROP"));
        ClashReport report = check(tails, Material.example("xdp_counter.o"));
        Finding f = only(report, FindingClass.SEMANTIC_OVERLAP);
        assertEquals(List.of("IPv4 UDP dst port 4789"), traffic(f));
        assertEquals(Set.of("tail_entry", "xdp_count"), programs(f));
    }
}
