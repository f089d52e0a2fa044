package io.bpfstore.bytecode.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What {@link SectionNames} adds beyond libbpf's public API (which {@link SectionNamesLibbpfTest} compares):
 * targets, suffixes, traits and the pre-1.0 legacy matching, checked against libbpf 1.7's and 0.8's sources.
 */
class SectionNamesTest {

    private static SectionDefinition lookup(String name) {
        return SectionNames.lookup(name).orElseThrow(() -> new AssertionError("no row for " + name));
    }

    @Test
    void tcxAndNetkitTakeTheHookFromTheName() {
        SectionDefinition ingress = lookup("tcx/ingress");
        assertEquals(ProgramType.SCHED_CLS, ingress.programType());
        assertEquals(Optional.of(AttachType.TCX_INGRESS), ingress.expectedAttachType());
        assertEquals("1.3", ingress.sinceLibbpf());
        assertEquals(Optional.of(AttachType.TCX_EGRESS), lookup("tc/egress").expectedAttachType());
        assertEquals(Optional.of(AttachType.NETKIT_PEER), lookup("netkit/peer").expectedAttachType());
        assertEquals(Optional.empty(), lookup("tc").expectedAttachType());
        assertTrue(SectionNames.lookup("tcx/ingress/x").isEmpty());
        assertTrue(SectionNames.lookup("tc/ingress2").isEmpty());
    }

    @Test
    void suffixIsTheAttachTarget() {
        SectionDefinition kprobe = lookup("kprobe/do_unlinkat");
        assertEquals("kprobe", kprobe.prefix());
        assertEquals(AttachTarget.KERNEL_FUNCTION, kprobe.target());
        assertTrue(kprobe.autoAttach());
        assertEquals(Optional.of("do_unlinkat"), kprobe.suffix("kprobe/do_unlinkat"));
        assertEquals(Optional.empty(), kprobe.suffix("kprobe"));
        assertEquals(Optional.empty(), kprobe.suffix("kretprobe/x"));

        SectionDefinition tp = lookup("tracepoint/syscalls/sys_enter_openat");
        assertEquals(AttachTarget.TRACEPOINT, tp.target());
        assertEquals(Optional.of("syscalls/sys_enter_openat"), tp.suffix("tracepoint/syscalls/sys_enter_openat"));

        assertEquals(AttachTarget.USER_FUNCTION_PATTERN, lookup("uprobe.multi/usr/bin/bash:readline*").target());
        assertEquals(AttachTarget.SYSCALL, lookup("ksyscall/openat").target());
        assertEquals(AttachTarget.LSM_HOOK, lookup("lsm.s/file_open").target());
        assertEquals(AttachTarget.ITERATOR, lookup("iter/task").target());
        assertEquals(AttachTarget.BPF_FUNCTION, lookup("freplace/handler").target());
        // lsm_cgroup names a hook but libbpf has no auto-attach for it; struct_ops' suffix names nothing.
        assertFalse(lookup("lsm_cgroup/socket_bind").autoAttach());
        assertEquals(AttachTarget.NONE, lookup("struct_ops/ssthresh").target());
    }

    @Test
    void specificRowsWinOverGeneralOnes() {
        SectionDefinition devmap = lookup("xdp.frags/devmap");
        assertEquals(Optional.of(AttachType.XDP_DEVMAP), devmap.expectedAttachType());
        assertTrue(devmap.traits().contains(SectionDefinition.Trait.XDP_FRAGS));
        assertEquals(Optional.of(AttachType.XDP), lookup("xdp").expectedAttachType());
        assertEquals(Set.of(SectionDefinition.Trait.ATTACHABLE,
                SectionDefinition.Trait.EXPECTED_ATTACH_TYPE_OPTIONAL), lookup("xdp").traits());
        assertTrue(SectionNames.lookup("xdp/foo").isEmpty(), "xdp is exact");
        assertEquals("sk_reuseport/migrate", lookup("sk_reuseport/migrate").prefix());
        assertTrue(lookup("fentry.s/vfs_read").sleepable());
        assertFalse(lookup("fentry/vfs_read").sleepable());
        assertEquals("kprobe.multi+", lookup("kprobe.multi/tcp_*").libbpfSpelling());
        assertEquals("sockops", lookup("sockops").libbpfSpelling());

        List<SectionDefinition> all = SectionNames.definitions();
        assertTrue(all.indexOf(lookup("xdp.frags/devmap")) < all.indexOf(lookup("xdp")));
        assertThrows(UnsupportedOperationException.class, () -> all.add(lookup("xdp")));
    }

    @Test
    void everyRowMatchesItsOwnPrefixFirst() {
        // No row is shadowed by an earlier one: libbpf's order only decides between different rows' names.
        for (SectionDefinition d : SectionNames.definitions()) {
            assertEquals(d, lookup(d.prefix()), d.prefix());
            if (d.rule() == MatchRule.EXACT_OR_SLASH_SUFFIX) {
                assertEquals(d, lookup(d.prefix() + "/x"), d.prefix() + "/x");
            }
        }
    }

    @Test
    void legacyLookupAcceptsTheOldBarePrefixes() {
        // libbpf 0.x matched these rows by prefix (SEC_SLOPPY_PFX in libbpf v0.8.0's section_defs).
        assertEquals(ProgramType.XDP, SectionNames.lookupLegacy("xdp_prog").orElseThrow().programType());
        assertEquals(ProgramType.SCHED_CLS,
                SectionNames.lookupLegacy("classifier_ingress").orElseThrow().programType());
        assertEquals(ProgramType.SOCKET_FILTER, SectionNames.lookupLegacy("socket1").orElseThrow().programType());
        assertEquals(Optional.of(AttachType.CGROUP_INET4_CONNECT),
                SectionNames.lookupLegacy("cgroup/connect4_v2").orElseThrow().expectedAttachType());
        // Strict rows stay strict, and strict matches come first in table order.
        assertTrue(SectionNames.lookupLegacy("tc_ingress").isEmpty());
        assertTrue(SectionNames.lookupLegacy("kprobe_sys_open").isEmpty());
        assertEquals("xdp.frags", SectionNames.lookupLegacy("xdp.frags").orElseThrow().prefix());
        assertEquals(SectionNames.lookup("kprobe/x"), SectionNames.lookupLegacy("kprobe/x"));
        // libbpf 1.x: none of them.
        assertTrue(SectionNames.lookup("xdp_prog").isEmpty());
        assertTrue(SectionNames.lookup("socket1").isEmpty());
    }

    @Test
    void definitionsRejectContradictions() {
        assertThrows(IllegalArgumentException.class, () -> new SectionDefinition("xdp", MatchRule.EXACT,
                ProgramType.XDP, Optional.empty(), Set.of(), AttachTarget.KERNEL_FUNCTION, false, false, "1.1"));
        assertThrows(IllegalArgumentException.class, () -> new SectionDefinition("", MatchRule.EXACT,
                ProgramType.XDP, Optional.empty(), Set.of(), AttachTarget.NONE, false, false, "1.1"));
        assertThrows(NullPointerException.class, () -> SectionNames.lookup(null));
    }
}
