package io.bpfstore.analysis.clash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.sections.AttachType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios for the hooks beyond XDP and tc chains — cgroups, XDP attach modes, legacy tc slots, the namespace hooks,
 * struct_ops names — and for tracing overrides and resources. Packages come from the example catalog and the
 * purpose-written programs in src/test/c/clash; host facts are given as the CLI would read them (the CLI tests set
 * the same states up for real in the kernel). Compatible sets assert that nothing at all is found.
 */
class HookAndResourceScenariosTest {
    @TempDir
    static Path work;

    static CheckedPackage dissectorA, dissectorB, pickA, pickB, counter, ccA, ccB, ccOther;
    static CheckedPackage kprobeOverride, fmodRet, otherTarget, writerA, writerB, bigMap, longProgram;

    @BeforeAll
    static void compile() throws Exception {
        dissectorA = Material.program(work, "flow_dissector.c", "dissector_a");
        dissectorB = Material.program(work, "flow_dissector.c", "dissector_b");
        pickA = Material.program(work, "sk_lookup_pick.c", "pick_a", "PICK_MAP=socks_a", "PICK_PROG=pick_a");
        pickB = Material.program(work, "sk_lookup_pick.c", "pick_b", "PICK_MAP=socks_b", "PICK_PROG=pick_b");
        counter = Material.program(work, "sk_lookup_count.c", "lookup_counter");
        ccA = Material.program(work, "struct_ops_cc.c", "cc_a", "CC_VAR=cc_a", "CC_NAME=\"bst_cc\"");
        ccB = Material.program(work, "struct_ops_cc.c", "cc_b", "CC_VAR=cc_b", "CC_NAME=\"bst_cc\"");
        ccOther = Material.program(work, "struct_ops_cc.c", "cc_other", "CC_VAR=cc_other", "CC_NAME=\"bst_other\"");
        kprobeOverride = Material.program(work, "override_kprobe.c", "inject_kprobe", "TARGET=should_failslab",
                "PROG=inject_slab");
        fmodRet = Material.program(work, "override_fmod_ret.c", "inject_fmod", "TARGET=should_failslab",
                "PROG=fail_slab");
        otherTarget = Material.program(work, "override_fmod_ret.c", "inject_other", "TARGET=should_fail_alloc_page",
                "PROG=fail_page");
        writerA = Material.program(work, "write_user.c", "writer_a", "PROG=rewrite_a");
        writerB = Material.program(work, "write_user.c", "writer_b", "PROG=rewrite_b");
        bigMap = Material.program(work, "big_map.c", "big_map", "ENTRIES=100000000");
        longProgram = Material.program(work, "long_program.c", "long_program");
    }

    private static ClashReport check(HostView host, CheckedPackage... packages) {
        return ClashDetector.check(List.of(packages), host);
    }

    private static Finding only(ClashReport report, FindingClass kind) {
        List<Finding> found = report.of(kind);
        assertEquals(1, found.size(), () -> String.join("\n", report.lines()));
        assertEquals(1, report.findings().size(), () -> "one finding expected:\n" + String.join("\n", report.lines()));
        return found.getFirst();
    }

    private static Set<String> programs(Finding f) {
        return f.subjects(Subject.ProgramRef.class).stream().map(Subject.ProgramRef::name).collect(Collectors.toSet());
    }

    private static void noTraffic(Finding f) {
        assertEquals(List.of(), f.subjects(Subject.Traffic.class), "no traffic is involved: " + f.message());
    }

    private static void nothing(ClashReport report) {
        assertEquals(List.of(), report.findings(), () -> String.join("\n", report.lines()));
    }

    // --- cgroups ---------------------------------------------------------------------------------------------

    private static HostView cgroupHost(boolean ancestor, int flags) {
        return HostView.none().withCgroup("/sys/fs/cgroup/bst/app", List.of(new HostView.CgroupOccupant(
                ancestor ? "/sys/fs/cgroup/bst" : "/sys/fs/cgroup/bst/app", ancestor, AttachType.CGROUP_INET_EGRESS,
                77, "other_egress", flags)));
    }

    @Test
    void cgroupProgramAttachedWithoutMultiWouldBeSilentlyReplaced() throws Exception {
        Finding f = only(check(cgroupHost(false, 0), Material.example("cgroup_firewall.o")),
                FindingClass.SILENT_REPLACEMENT);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(List.of(new Subject.ForeignProgram(77, "other_egress")), f.subjects(Subject.ForeignProgram.class));
        assertEquals(List.of(new Subject.CgroupRef("/sys/fs/cgroup/bst/app", "cgroup_inet_egress")),
                f.subjects(Subject.CgroupRef.class));
        assertEquals(Set.of("cgroup_egress_fw"), programs(f));
        assertTrue(f.message().contains("without BPF_F_ALLOW_MULTI") && f.message().contains("replace"), f.message());
        assertTrue(f.fix().contains("bpftool cgroup detach /sys/fs/cgroup/bst/app cgroup_inet_egress id 77"), f.fix());
        noTraffic(f);
    }

    @Test
    void ancestorsOverridableProgramWouldStopRunningBelowTheTarget() throws Exception {
        Finding f = only(check(cgroupHost(true, HostView.CgroupOccupant.ALLOW_OVERRIDE),
                Material.example("cgroup_firewall.o")), FindingClass.SILENT_REPLACEMENT);
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.message().contains("BPF_F_ALLOW_OVERRIDE") && f.message().contains("silently stops running"),
                f.message());
        assertEquals(List.of(new Subject.ForeignProgram(77, "other_egress")), f.subjects(Subject.ForeignProgram.class));
    }

    @Test
    void ancestorsExclusiveProgramRefusesEveryAttachBelow() throws Exception {
        Finding f = only(check(cgroupHost(true, 0), Material.example("cgroup_firewall.o")),
                FindingClass.EXCLUSIVE_HOOK);
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.message().contains("EPERM"), f.message());
        assertEquals(Set.of("cgroup_egress_fw"), programs(f));
    }

    @Test
    void multiAttachedProgramsOrOtherHooksOrOurOwnAreCompatible() throws Exception {
        CheckedPackage fw = Material.example("cgroup_firewall.o");
        nothing(check(cgroupHost(false, HostView.CgroupOccupant.ALLOW_MULTI), fw));
        nothing(check(cgroupHost(true, HostView.CgroupOccupant.ALLOW_MULTI), fw));
        nothing(check(cgroupHost(false, 0).withOwned(Set.of(77)), fw));
        HostView ingressOnly = HostView.none().withCgroup("/sys/fs/cgroup/bst/app", List.of(
                new HostView.CgroupOccupant("/sys/fs/cgroup/bst/app", false, AttachType.CGROUP_INET_INGRESS, 78,
                        "ingress_only", 0)));
        nothing(check(ingressOnly, fw));
    }

    // --- XDP attach modes --------------------------------------------------------------------------------------

    private static HostView xdpHost(HostView.AttachMode mode, String name) {
        return HostView.none().withInterface("veth0", "bst-ns", List.of(
                new HostView.HookOccupant(Hook.XDP, 42, name, mode, 0, 0)));
    }

    @Test
    void legacyAttachedXdpProgramWouldBeSilentlyReplaced() throws Exception {
        Finding f = only(check(xdpHost(HostView.AttachMode.LEGACY, "foreign_xdp"), Material.example("xdp_counter.o")),
                FindingClass.SILENT_REPLACEMENT);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(List.of(new Subject.ForeignProgram(42, "foreign_xdp")), f.subjects(Subject.ForeignProgram.class));
        assertEquals(List.of(new Subject.InterfaceRef("veth0", "bst-ns")), f.subjects(Subject.InterfaceRef.class));
        assertTrue(f.message().contains("without a link") && f.message().contains("EBUSY"), f.message());
        noTraffic(f);
    }

    @Test
    void libxdpDispatcherIsNotToBeClobbered() throws Exception {
        Finding f = only(check(xdpHost(HostView.AttachMode.LINK, "xdp_dispatcher"), Material.example("xdp_counter.o")),
                FindingClass.EXCLUSIVE_HOOK);
        assertTrue(f.message().contains("libxdp"), f.message());
        assertTrue(f.fix().contains("xdp-loader"), f.fix());
        assertEquals(Set.of("xdp_count"), programs(f));
    }

    @Test
    void bpfstoresOwnXdpProgramIsNoClash() throws Exception {
        nothing(check(xdpHost(HostView.AttachMode.LINK, "bst_dispatch").withOwned(Set.of(42)),
                Material.example("xdp_counter.o")));
    }

    // --- legacy tc slots and tcx/legacy order ----------------------------------------------------------------

    private static HostView tcHost(int priority, int handle) {
        return HostView.none().withInterface("veth2", "", List.of(new HostView.HookOccupant(Hook.TC_INGRESS, 9,
                "cls_foreign", HostView.AttachMode.TC_FILTER, priority, handle)));
    }

    @Test
    void legacyTcFilterAtTheSamePriorityAndHandleIsTaken() throws Exception {
        ClashReport report = check(tcHost(1, 1).withTcSlot(new HostView.TcSlot(1, 1)),
                Material.example("tc_port_drop.o"));
        Finding f = report.of(FindingClass.EXCLUSIVE_HOOK).getFirst();
        assertEquals(1, report.of(FindingClass.EXCLUSIVE_HOOK).size(), () -> String.join("\n", report.lines()));
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.message().contains("priority 1, handle 0x1") && f.message().contains("EEXIST"), f.message());
        assertEquals(List.of(new Subject.ForeignProgram(9, "cls_foreign")), f.subjects(Subject.ForeignProgram.class));
        assertEquals(Set.of("tc_drop_port"), programs(f));
        // The foreign filter runs first (priority 1 before ours at 1, added later): a chain-order warning as well.
        assertEquals(1, report.of(FindingClass.CHAIN_ORDER).size(), () -> String.join("\n", report.lines()));
        assertEquals(2, report.findings().size(), () -> String.join("\n", report.lines()));
    }

    @Test
    void legacyFilterBehindATcxProgramThatAlwaysContinuesSeesEverything() throws Exception {
        CheckedPackage observer = Material.compile(work, "tc_next_only", Material.HEADERS + """
                SEC("tc")
                int tc_next_only(struct __sk_buff *skb)
                {
                	return TC_ACT_UNSPEC;
                }
                """);
        nothing(check(tcHost(1, 1), observer));
        // Another handle at a legacy priority after the foreign one: no slot clash; it runs behind the foreign one.
        Finding f = only(check(tcHost(1, 1).withTcSlot(new HostView.TcSlot(5, 2)), observer),
                FindingClass.CHAIN_ORDER);
        assertTrue(f.message().contains("runs before tc_next_only"), f.message());
    }

    @Test
    void tcxProgramThatCanEndTheChainRunsBeforeAnyLegacyFilter() throws Exception {
        Finding f = only(check(tcHost(1, 1), Material.example("tc_port_drop.o")), FindingClass.CHAIN_ORDER);
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.message().contains("runs after tc_drop_port"), f.message());
        assertEquals(List.of(new Subject.ForeignProgram(9, "cls_foreign")), f.subjects(Subject.ForeignProgram.class));
    }

    // --- network-namespace hooks -------------------------------------------------------------------------------

    @Test
    void twoFlowDissectorsForOneNamespace() {
        Finding f = only(check(HostView.none(), dissectorA, dissectorB), FindingClass.EXCLUSIVE_HOOK);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(List.of(new Subject.PackageRef("dissector_a.o"), new Subject.PackageRef("dissector_b.o")),
                f.subjects(Subject.PackageRef.class));
        assertEquals(List.of(new Subject.AttachPoint("netns hook", "flow_dissector")),
                f.subjects(Subject.AttachPoint.class));
        noTraffic(f);
    }

    @Test
    void foreignFlowDissectorIsReplacedOrRefusedByItsAttachMode() {
        HostView legacy = HostView.none().withNetnsHooks(List.of(
                new HostView.NetnsOccupant(AttachType.FLOW_DISSECTOR, 5, "their_dissector", false)));
        Finding f = only(check(legacy, dissectorA), FindingClass.SILENT_REPLACEMENT);
        assertEquals(List.of(new Subject.ForeignProgram(5, "their_dissector")),
                f.subjects(Subject.ForeignProgram.class));
        HostView linked = HostView.none().withNetnsHooks(List.of(
                new HostView.NetnsOccupant(AttachType.FLOW_DISSECTOR, 5, "their_dissector", true)));
        Finding g = only(check(linked, dissectorA), FindingClass.EXCLUSIVE_HOOK);
        assertTrue(g.message().contains("EEXIST"), g.message());
    }

    @Test
    void twoSkLookupProgramsPickingSocketsDependOnTheirOrder() {
        Finding f = only(check(HostView.none(), pickA, pickB), FindingClass.CHAIN_ORDER);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(Set.of("pick_a", "pick_b"), programs(f));
        assertTrue(f.message().contains("bpf_sk_assign") && f.message().contains("pick_a (attached first)"),
                f.message());
    }

    @Test
    void skLookupCounterBesideAPickerIsCompatible() {
        nothing(check(HostView.none(), pickA, counter));
        nothing(check(HostView.none(), counter, pickA));
    }

    // --- struct_ops -------------------------------------------------------------------------------------------

    @Test
    void twoPackagesRegisteringOneCongestionControlName() {
        assertEquals(List.of(new StructOpsCheck.Registration("cc_a", "tcp_congestion_ops", "bst_cc")),
                StructOpsCheck.registrations(ccA.object()));
        Finding f = only(check(HostView.none(), ccA, ccB), FindingClass.EXCLUSIVE_HOOK);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(List.of(new Subject.MapRef("cc_a.o", "cc_a"), new Subject.MapRef("cc_b.o", "cc_b")),
                f.subjects(Subject.MapRef.class));
        assertEquals(List.of(new Subject.AttachPoint("struct_ops tcp_congestion_ops", "bst_cc")),
                f.subjects(Subject.AttachPoint.class));
        nothing(check(HostView.none(), ccA, ccOther));
    }

    @Test
    void congestionControlNameTheKernelHasIsTaken() {
        HostView host = HostView.none().withStructOps(Map.of("tcp_congestion_ops", Set.of("reno", "cubic", "bst_cc")));
        Finding f = only(check(host, ccA), FindingClass.EXCLUSIVE_HOOK);
        assertTrue(f.message().contains("already has"), f.message());
        nothing(check(host, ccOther));
    }

    // --- tracing ----------------------------------------------------------------------------------------------

    @Test
    void kprobeOverrideAndFmodRetOnOneFunctionClash() {
        Finding f = only(check(HostView.none(), kprobeOverride, fmodRet), FindingClass.TRACING);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(Set.of("inject_slab", "fail_slab"), programs(f));
        assertEquals(List.of(new Subject.AttachPoint("kernel function", "should_failslab")),
                f.subjects(Subject.AttachPoint.class));
        assertTrue(f.message().contains("bpf_override_return") && f.message().contains("fmod_ret"), f.message());
        noTraffic(f);
    }

    @Test
    void overridesOfDifferentFunctionsAndPlainTracersAreCompatible() throws Exception {
        nothing(check(HostView.none(), kprobeOverride, otherTarget));
        nothing(check(HostView.none(), kprobeOverride, Material.example("kprobe_tcp_sendmsg.o"),
                Material.example("exec_trace.o")));
    }

    @Test
    void twoUserMemoryWritersOnOneTracepoint() {
        Finding f = only(check(HostView.none(), writerA, writerB), FindingClass.TRACING);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(List.of(new Subject.AttachPoint("tracepoint", "syscalls/sys_enter_openat")),
                f.subjects(Subject.AttachPoint.class));
        assertEquals(Set.of("rewrite_a", "rewrite_b"), programs(f));
    }

    // --- resources --------------------------------------------------------------------------------------------

    @Test
    void oversizeMapIsAWarning() {
        Finding f = only(check(HostView.none(), bigMap), FindingClass.RESOURCES);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(List.of(new Subject.MapRef("big_map.o", "flows")), f.subjects(Subject.MapRef.class));
        assertTrue(f.message().contains("100000000 entries") && f.message().contains("GiB"), f.message());
    }

    @Test
    void mapsOverTheBudgetOrTheMemlockLimitAreErrors() throws Exception {
        CheckedPackage fw = Material.example("xdp_firewall.o");
        CheckedPackage count = Material.example("tc_flow_bytes.o");
        HostView.Resources tight = new HostView.Resources(OptionalLong.of(64 * 1024), OptionalLong.empty(), false, 2,
                Optional.of(true));
        Finding f = only(check(HostView.none().withResources(tight), fw, count), FindingClass.RESOURCES);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(List.of(new Subject.PackageRef("xdp_firewall.o"), new Subject.PackageRef("tc_flow_bytes.o")),
                f.subjects(Subject.PackageRef.class));
        assertTrue(f.message().contains("over the budget of 64.0 KiB"), f.message());
        HostView.Resources oldKernel = new HostView.Resources(OptionalLong.empty(), OptionalLong.of(64 * 1024), true,
                2, Optional.of(true));
        Finding g = only(check(HostView.none().withResources(oldKernel), fw, count), FindingClass.RESOURCES);
        assertTrue(g.message().contains("RLIMIT_MEMLOCK"), g.message());
        HostView.Resources newKernel = new HostView.Resources(OptionalLong.of(1L << 30), OptionalLong.of(64 * 1024),
                false, 2, Optional.of(true));
        nothing(check(HostView.none().withResources(newKernel), fw, count));
    }

    @Test
    void programPastTheUnprivilegedSizeLimit() {
        assertTrue(longProgram.object().programs().getFirst().totalSlots() > ResourceCheck.UNPRIVILEGED_INSNS);
        HostView.Resources unprivileged = new HostView.Resources(OptionalLong.empty(), OptionalLong.empty(), false, 2,
                Optional.of(false));
        Finding f = only(check(HostView.none().withResources(unprivileged), longProgram), FindingClass.RESOURCES);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(Set.of("bst_long"), programs(f));
        assertTrue(f.message().contains("CAP_BPF") && f.message().contains("4096"), f.message());
        nothing(check(HostView.none(), longProgram));
        assertFalse(check(HostView.none().withResources(unprivileged), longProgram).findings().isEmpty());
    }

    @Test
    void programTheVerifierNeedsNearlyAMillionStepsFor() throws Exception {
        CheckedPackage near = Material.program(work, "near_limit.c", "near", "ITERATIONS=130000");
        HostView measured = HostView.none().withVerified(List.of(new HostView.Verified("near.o", "bst_near_limit",
                910_011)));
        Finding f = only(check(measured, near), FindingClass.RESOURCES);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(Set.of("bst_near_limit"), programs(f));
        assertTrue(f.message().contains("processed 910011 instructions"), f.message());
        // Small as it is (20 instructions), nothing is said without the kernel's count, or with a small one.
        nothing(check(HostView.none(), near));
        nothing(check(HostView.none().withVerified(List.of(new HostView.Verified("near.o", "bst_near_limit",
                21_000))), near));
    }
}
