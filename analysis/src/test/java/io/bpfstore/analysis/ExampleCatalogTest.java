package io.bpfstore.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.analysis.domain.Atom;
import io.bpfstore.analysis.permissions.Capability;
import io.bpfstore.analysis.permissions.Evidence;
import io.bpfstore.analysis.permissions.Permission;
import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.analysis.permissions.ProgramPermissions;
import io.bpfstore.analysis.summary.Outcome;
import io.bpfstore.analysis.summary.PacketSummarizer;
import io.bpfstore.analysis.summary.PacketSummary;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Summaries and permissions of the example catalog, asserted against what each C source does (see
 * examples/README.md), and evidence instructions against llvm-objdump.
 */
class ExampleCatalogTest {
    private static PacketSummary summary(String object, String program) throws Exception {
        BpfObject o = Examples.object(object);
        return PacketSummarizer.summarize(o, Examples.program(o, program)).orElseThrow();
    }

    private static ProgramPermissions permissions(String object, String program) throws Exception {
        return PermissionAnalyzer.derive(Examples.object(object)).get(program);
    }

    private static boolean hits(Outcome o, String map) {
        return o.condition().stream().anyMatch(a -> a instanceof Atom.MapTest t && t.map().equals(map) && t.hit());
    }

    @Test
    void everyProgramIsAnalysedToAFixpoint() throws Exception {
        for (Path p : Examples.objects()) {
            BpfObject object = BpfObject.read(p);
            for (Program program : object.programs()) {
                PacketSummarizer.Analysis a = PacketSummarizer.analyze(object, program);
                assertTrue(a.complete(), program.name() + " did not reach a fixpoint");
                assertFalse(a.exits().isEmpty(), program.name() + " has no reachable exit");
                PacketSummarizer.summarize(object, program).ifPresent(s -> {
                    String last = s.lines().getLast();
                    assertTrue(last.startsWith("otherwise → ") || last.startsWith("any traffic → "), s::toString);
                });
            }
        }
    }

    @Test
    void xdpCounterPassesEverythingAndRewritesNothing() throws Exception {
        PacketSummary s = summary("xdp_counter.o", "xdp_count");
        assertEquals(List.of("any traffic → XDP_PASS"), s.lines());
        assertTrue(s.outcomes().stream().allMatch(o -> o.rewrites().isEmpty()));
        ProgramPermissions p = permissions("xdp_counter.o", "xdp_count");
        assertEquals(EnumSet.of(Permission.INSPECTS_INTERFACE_PACKETS), p.permissions());
        assertEquals(EnumSet.of(Capability.CAP_BPF, Capability.CAP_NET_ADMIN), p.capabilities());
    }

    @Test
    void xdpFirewallDropsBySourcePrefixAndByPortFromMaps() throws Exception {
        PacketSummary s = summary("xdp_firewall.o", "xdp_firewall");
        assertTrue(s.lines().contains("IPv4 src in map deny_src_v4 → XDP_DROP"), s::toString);
        assertEquals("otherwise → XDP_PASS", s.lines().getLast());
        // a source in the v4 deny trie always drops, whatever else holds
        List<Outcome> v4 = s.outcomes().stream().filter(o -> hits(o, "deny_src_v4")).toList();
        assertFalse(v4.isEmpty());
        assertTrue(v4.stream().allMatch(o -> o.certainVerdict() && o.mayReturn(1)), s::toString);
        // some path drops because the destination port is in the port map
        assertTrue(s.outcomes().stream().anyMatch(o -> hits(o, "deny_dst_port") && o.mayReturn(1)), s::toString);
        // IPv6 sources are checked too
        assertTrue(s.outcomes().stream().anyMatch(o -> hits(o, "deny_src_v6") && o.mayReturn(1)), s::toString);
        // it never transmits, redirects or rewrites
        assertTrue(s.outcomes().stream().noneMatch(o -> o.mayReturn(3) || o.mayReturn(4) || !o.rewrites().isEmpty()));
        ProgramPermissions p = permissions("xdp_firewall.o", "xdp_firewall");
        assertEquals(EnumSet.of(Permission.INSPECTS_INTERFACE_PACKETS, Permission.DROPS_PACKETS), p.permissions());
    }

    @Test
    void xdpReflectTransmitsAndRewritesAddresses() throws Exception {
        PacketSummary s = summary("xdp_reflect.o", "xdp_reflect");
        assertEquals("otherwise → XDP_PASS", s.lines().getLast());
        assertTrue(s.lines().stream().anyMatch(l -> l.startsWith("IPv4 UDP")
                && l.contains("→ XDP_TX, rewrites Ethernet dst, Ethernet src, IPv4 src, IPv4 dst, src port, dst port")),
                s::toString);
        assertTrue(s.lines().stream().anyMatch(l -> l.startsWith("IPv6 ICMPv6 ICMPv6 type 0x80 → XDP_TX")), s::toString);
        // every TX path swaps the MACs: bytes 0..11 are written
        for (Outcome o : s.outcomes()) {
            if (o.mayReturn(3)) {
                Set<Long> bytes = new java.util.HashSet<>();
                o.rewrites().forEach(w -> {
                    for (int i = 0; i < w.size(); i++) {
                        bytes.add(w.offset().lo() + i);
                    }
                });
                for (long b = 0; b < 12; b++) {
                    assertTrue(bytes.contains(b), "TX without rewriting MAC byte " + b + ": " + s.condition(o));
                }
            }
        }
        ProgramPermissions p = permissions("xdp_reflect.o", "xdp_reflect");
        assertEquals(EnumSet.of(Permission.INSPECTS_INTERFACE_PACKETS, Permission.TRANSMITS_PACKETS,
                Permission.REWRITES_PACKETS), p.permissions());
        Evidence store = p.evidenceFor(Permission.REWRITES_PACKETS).getFirst();
        assertTrue(store.toString().matches("rewrites packets \\(xdp_reflect, insn \\d+: \\*\\(u\\d+ \\*\\)\\(r\\d "
                + "\\+ 0x[0-9a-f]+\\) = r\\d at xdp_reflect\\.c:\\d+; stores .*"), store::toString);
    }

    @Test
    void tcPortDropShootsTheMapsPorts() throws Exception {
        PacketSummary s = summary("tc_port_drop.o", "tc_drop_port");
        assertTrue(s.lines().contains("IPv4 TCP/UDP not a fragment, dst port in map blocked_ports → TC_ACT_SHOT"),
                s::toString);
        assertTrue(s.lines().contains("IPv6 TCP/UDP dst port in map blocked_ports → TC_ACT_SHOT"), s::toString);
        assertEquals("otherwise → TC_ACT_OK", s.lines().getLast());
        // a miss in the map never shoots
        assertTrue(s.outcomes().stream().filter(o -> o.condition().stream().anyMatch(a -> a instanceof Atom.MapTest t
                && t.map().equals("blocked_ports") && !t.hit())).allMatch(o -> !o.mayReturn(2)), s::toString);
        ProgramPermissions p = permissions("tc_port_drop.o", "tc_drop_port");
        assertEquals(EnumSet.of(Permission.INSPECTS_INTERFACE_TRAFFIC, Permission.DROPS_PACKETS), p.permissions());
    }

    @Test
    void cgroupFirewallDeniesByDestination() throws Exception {
        PacketSummary s = summary("cgroup_firewall.o", "cgroup_egress_fw");
        assertTrue(s.lines().contains("IPv4 dst in map deny_dst_v4 → deny"), s::toString);
        assertTrue(s.lines().contains("IPv6 dst in map deny_dst_v6 → deny"), s::toString);
        assertEquals("otherwise → allow", s.lines().getLast());
        assertTrue(permissions("cgroup_firewall.o", "cgroup_egress_fw").has(Permission.DROPS_PACKETS));
    }

    @Test
    void accountingProgramsNeverDrop() throws Exception {
        for (String[] op : new String[][] {{"tc_flow_bytes.o", "tc_flow_account"}, {"global_data.o", "tc_len_sampler"},
                {"cgroup_data_usage.o", "cgroup_count_in"}, {"cgroup_data_usage.o", "cgroup_count_out"},
                {"subprog_calls.o", "xdp_size_hist"}, {"loops.o", "xdp_loops"}}) {
            PacketSummary s = summary(op[0], op[1]);
            assertEquals(1, s.lines().size(), s::toString);
            assertTrue(s.lines().getFirst().startsWith("any traffic → "), s::toString);
            assertFalse(permissions(op[0], op[1]).has(Permission.DROPS_PACKETS), op[1]);
        }
    }

    @Test
    void tracingProgramsObserveExportAndReadKernelMemory() throws Exception {
        ProgramPermissions exec = permissions("exec_trace.o", "trace_exec");
        assertTrue(exec.permissions().containsAll(EnumSet.of(Permission.OBSERVES_KERNEL_EVENTS,
                Permission.EXPORTS_DATA, Permission.READS_PROCESS_IDENTITY)), exec::toString);
        assertEquals(EnumSet.of(Capability.CAP_BPF, Capability.CAP_PERFMON), exec.capabilities());
        ProgramPermissions core = permissions("core_task.o", "record_exit");
        assertTrue(core.has(Permission.READS_KERNEL_MEMORY), core::toString);
        assertTrue(core.evidenceFor(Permission.READS_KERNEL_MEMORY).stream()
                .anyMatch(e -> e.reason().equals("calls bpf_probe_read_kernel")
                        && e.line().orElseThrow().fileName().endsWith("core_task.c")), core::toString);
        assertTrue(permissions("kprobe_tcp_sendmsg.o", "count_tcp_sendmsg").has(Permission.OBSERVES_KERNEL_EVENTS));
    }

    @Test
    void socketProgramsTailCallsAndRedirects() throws Exception {
        assertTrue(permissions("tail_calls.o", "xdp_dispatch").has(Permission.CALLS_OTHER_PROGRAMS));
        ProgramPermissions msg = permissions("sock_redirect.o", "sk_msg_redirect");
        assertTrue(msg.has(Permission.REDIRECTS_PACKETS) && msg.has(Permission.STEERS_SOCKETS), msg::toString);
        assertTrue(permissions("socket_filter.o", "sock_hdr_capture").has(Permission.DROPS_PACKETS));
    }

    @Test
    void evidenceInstructionsAreWhatLlvmObjdumpPrintsThere() throws Exception {
        for (String name : List.of("core_task.o", "xdp_reflect.o", "exec_trace.o", "tail_calls.o")) {
            Path path = Examples.dir().resolve(name);
            String listing = Examples.run(List.of("llvm-objdump-19", "-d", "--no-show-raw-insn", path.toString()));
            Map<String, ProgramPermissions> all = PermissionAnalyzer.derive(BpfObject.read(path));
            int checked = 0;
            for (ProgramPermissions p : all.values()) {
                for (Evidence e : p.evidence()) {
                    if (e.site().isEmpty()) {
                        continue;
                    }
                    var site = e.site().get();
                    String text = objdumpText(listing, site.section(), site.sectionSlot());
                    assertEquals(text, e.text().orElseThrow(), name + " " + e);
                    checked++;
                }
            }
            assertTrue(checked > 0, name + ": no evidence with an instruction");
        }
    }

    /** The instruction text llvm-objdump prints at {@code slot} of {@code section}, annotations removed. */
    private static String objdumpText(String listing, String section, long slot) {
        boolean in = false;
        for (String line : listing.split("\n")) {
            if (line.startsWith("Disassembly of section ")) {
                in = line.equals("Disassembly of section " + section + ":");
                continue;
            }
            String t = line.strip();
            if (in && t.startsWith(slot + ":")) {
                String text = t.substring(t.indexOf(':') + 1).strip();
                int ann = text.indexOf(" <");
                return ann < 0 ? text : text.substring(0, ann);
            }
        }
        throw new AssertionError("llvm-objdump shows no instruction " + slot + " in " + section);
    }
}
