package io.bpfstore.analysis.permissions;

import io.bpfstore.analysis.domain.Effects.PacketWrite;
import io.bpfstore.analysis.domain.Interval;
import io.bpfstore.analysis.domain.Site;
import io.bpfstore.analysis.domain.Value;
import io.bpfstore.analysis.summary.PacketSummarizer;
import io.bpfstore.analysis.summary.PacketSummarizer.ExitState;
import io.bpfstore.analysis.summary.Verdicts;
import io.bpfstore.bytecode.asm.CallHelper;
import io.bpfstore.bytecode.asm.CallKfunc;
import io.bpfstore.bytecode.asm.Disassembler;

import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.Pseudo;
import io.bpfstore.bytecode.btf.LineInfo;
import io.bpfstore.bytecode.helpers.Helper;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Function;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.object.Relocation;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Derives what each program of an object can do (see the package documentation).
 *
 * <p>Usage: {@code PermissionAnalyzer.derive(object).get("xdp_reflect").permissions()}.
 */
public final class PermissionAnalyzer {
    private static final HelperCatalog HELPERS = HelperCatalog.bundled();
    private static final Disassembler DISASSEMBLER = new Disassembler(Disassembler.Dialect.GENERIC);

    private PermissionAnalyzer() {
    }

    /** The permissions of every program of {@code object}, by program name, in object order. */
    public static Map<String, ProgramPermissions> derive(BpfObject object) {
        Map<String, ProgramPermissions> out = new LinkedHashMap<>();
        for (Program p : object.programs()) {
            out.put(p.name(), derive(object, p));
        }
        return out;
    }

    /** The permissions of one program. */
    public static ProgramPermissions derive(BpfObject object, Program program) {
        ProgramType type = program.type().orElse(ProgramType.UNSPEC);
        Collector c = new Collector(object, program);
        Permission byType = fromType(type);
        c.add(byType, Optional.empty(), "program type " + type.bpftoolName()
                + program.attachTarget().map(t -> " at " + t).orElse(""));
        for (Function f : program.functions()) {
            for (InstructionAt at : f.instructions()) {
                Site site = new Site(f.name(), f.section(), f.offset() / 8 + at.slot(), at.slot(), at.instruction());
                switch (at.instruction()) {
                    case CallHelper h -> {
                        String name = HELPERS.byId(h.helper()).map(Helper::name).orElse("helper " + h.helper());
                        for (Permission p : fromHelper(name)) {
                            c.add(p, Optional.of(site), "calls " + name);
                        }
                    }
                    case CallKfunc k -> c.add(Permission.CALLS_KERNEL_FUNCTIONS, Optional.of(site),
                            "calls kfunc " + externName(f, at.slot()).orElse("btf id " + k.btfId()));
                    case LoadImm64 l when l.pseudo() == Pseudo.BTF_ID || isKsym(f, at.slot()) ->
                            c.add(Permission.READS_KERNEL_MEMORY, Optional.of(site), "takes the address of kernel "
                                    + "variable " + externName(f, at.slot()).orElse("btf id " + l.imm()));
                    default -> { }
                }
            }
        }
        if (PacketSummarizer.isPacketProgram(type)) {
            PacketSummarizer.Analysis a = PacketSummarizer.analyze(object, program);
            List<PacketWrite> writes = new ArrayList<>(a.effects().packetWrites());
            writes.sort(java.util.Comparator.comparing((PacketWrite w) -> w.site().function())
                    .thenComparingInt(w -> w.site().slot()));
            for (PacketWrite w : writes) {
                if (!(w.site().instruction() instanceof CallHelper)) {
                    c.add(Permission.REWRITES_PACKETS, Optional.of(w.site()), "stores " + w.size()
                            + " byte" + (w.size() == 1 ? "" : "s") + " at packet offset " + w.offset());
                }
            }
            for (ExitState e : a.exits()) {
                Interval r0 = e.state().r0() instanceof Value.Scalar s ? s.range() : Interval.TOP;
                for (Map.Entry<Permission, String> v : fromVerdicts(type, r0).entrySet()) {
                    c.add(v.getKey(), Optional.of(e.site()), v.getValue());
                }
            }
        }
        return new ProgramPermissions(program.name(), c.evidence);
    }

    /** The permission the program type alone grants. */
    static Permission fromType(ProgramType type) {
        return switch (type) {
            case XDP -> Permission.INSPECTS_INTERFACE_PACKETS;
            case SCHED_CLS, SCHED_ACT -> Permission.INSPECTS_INTERFACE_TRAFFIC;
            case CGROUP_SKB -> Permission.FILTERS_CGROUP_TRAFFIC;
            case SOCKET_FILTER -> Permission.FILTERS_SOCKET_PACKETS;
            case SOCK_OPS, SK_MSG, SK_SKB, SK_LOOKUP, SK_REUSEPORT -> Permission.STEERS_SOCKETS;
            case LWT_IN, LWT_OUT, LWT_XMIT, FLOW_DISSECTOR, NETFILTER, CGROUP_SOCK, CGROUP_SOCK_ADDR, CGROUP_SOCKOPT ->
                    Permission.HOOKS_NETWORKING;
            case KPROBE, TRACEPOINT, RAW_TRACEPOINT, RAW_TRACEPOINT_WRITABLE, PERF_EVENT, TRACING ->
                    Permission.OBSERVES_KERNEL_EVENTS;
            default -> Permission.EXTENDS_KERNEL;
        };
    }

    /** The permissions calling helper {@code name} shows. */
    static List<Permission> fromHelper(String name) {
        List<Permission> out = new ArrayList<>();
        switch (name) {
            case "bpf_probe_read_kernel", "bpf_probe_read_kernel_str", "bpf_get_current_task",
                 "bpf_get_current_task_btf", "bpf_per_cpu_ptr", "bpf_this_cpu_ptr", "bpf_d_path",
                 "bpf_snprintf_btf", "bpf_task_pt_regs", "bpf_get_stack", "bpf_get_task_stack",
                 "bpf_find_vma", "bpf_get_func_arg", "bpf_get_func_ret" -> out.add(Permission.READS_KERNEL_MEMORY);
            case "bpf_probe_read", "bpf_probe_read_str" -> {
                // the legacy helpers read kernel or user addresses alike
                out.add(Permission.READS_KERNEL_MEMORY);
                out.add(Permission.READS_PROCESS_MEMORY);
            }
            case "bpf_probe_read_user", "bpf_probe_read_user_str", "bpf_copy_from_user", "bpf_copy_from_user_task",
                 "bpf_access_process_vm" -> out.add(Permission.READS_PROCESS_MEMORY);
            case "bpf_probe_write_user" -> out.add(Permission.WRITES_PROCESS_MEMORY);
            case "bpf_override_return" -> out.add(Permission.ALTERS_KERNEL_RESULTS);
            case "bpf_send_signal", "bpf_send_signal_thread" -> out.add(Permission.SENDS_SIGNALS);
            case "bpf_ringbuf_output", "bpf_ringbuf_reserve", "bpf_ringbuf_reserve_dynptr", "bpf_perf_event_output",
                 "bpf_skb_output", "bpf_xdp_output", "bpf_trace_printk", "bpf_trace_vprintk", "bpf_seq_printf",
                 "bpf_seq_write", "bpf_seq_printf_btf" -> out.add(Permission.EXPORTS_DATA);
            case "bpf_get_current_comm", "bpf_get_current_pid_tgid", "bpf_get_current_uid_gid",
                 "bpf_get_current_cgroup_id", "bpf_get_current_ancestor_cgroup_id", "bpf_get_ns_current_pid_tgid",
                 "bpf_get_socket_uid" -> out.add(Permission.READS_PROCESS_IDENTITY);
            case "bpf_tail_call" -> out.add(Permission.CALLS_OTHER_PROGRAMS);
            default -> {
                if (name.contains("redirect")) {
                    out.add(Permission.REDIRECTS_PACKETS);
                } else if (name.equals("bpf_skb_store_bytes") || name.contains("csum_replace")
                        || name.contains("adjust_") || name.contains("_change_") || name.startsWith("bpf_skb_vlan_")
                        || name.startsWith("bpf_msg_push") || name.startsWith("bpf_msg_pop")
                        || name.startsWith("bpf_skb_set_tunnel") || name.startsWith("bpf_lwt_push")) {
                    out.add(Permission.REWRITES_PACKETS);
                }
            }
        }
        return out;
    }

    /** The permissions the possible return values {@code r0} of a program of {@code type} show, with why. */
    static Map<Permission, String> fromVerdicts(ProgramType type, Interval r0) {
        Map<Permission, String> out = new LinkedHashMap<>();
        String unknown = r0.width() > 64 ? "returns a value the analysis cannot bound" : null;
        switch (type) {
            case XDP -> {
                for (long v : new long[] {0, 1}) {
                    if (r0.contains(v)) {
                        out.putIfAbsent(Permission.DROPS_PACKETS, why(type, v, unknown));
                    }
                }
                if (r0.contains(3)) {
                    out.put(Permission.TRANSMITS_PACKETS, why(type, 3, unknown));
                }
            }
            case SCHED_CLS, SCHED_ACT -> {
                for (long v : new long[] {2, 4}) {
                    if (r0.contains(v)) {
                        out.putIfAbsent(Permission.DROPS_PACKETS, why(type, v, unknown));
                    }
                }
            }
            case CGROUP_SKB, SOCKET_FILTER, SK_SKB, SK_MSG -> {
                if (r0.contains(0)) {
                    out.put(Permission.DROPS_PACKETS, why(type, 0, unknown));
                }
                if (type == ProgramType.CGROUP_SKB && r0.contains(2)) {
                    out.putIfAbsent(Permission.DROPS_PACKETS, why(type, 2, unknown));
                }
            }
            default -> { }
        }
        return out;
    }

    private static String why(ProgramType type, long v, String unknown) {
        return unknown != null ? unknown + " (may be " + Verdicts.name(type, v) + ")"
                : "may return " + Verdicts.name(type, v);
    }

    private static Optional<String> externName(Function f, int slot) {
        return f.relocations().stream().filter(r -> r.instruction() == slot && r.kind() == Relocation.Kind.EXTERN)
                .map(Relocation::symbol).findFirst();
    }

    /** A {@code ld_imm64} of an extern outside {@code .kconfig}: a kernel symbol (ksym). */
    private static boolean isKsym(Function f, int slot) {
        return f.relocations().stream().anyMatch(r -> r.instruction() == slot
                && r.kind() == Relocation.Kind.EXTERN && !r.section().equals(".kconfig"));
    }

    /** Gathers evidence, one entry per permission and instruction. */
    private static final class Collector {
        private final BpfObject object;
        private final Program program;
        private final List<Evidence> evidence = new ArrayList<>();
        private final Set<String> seen = new LinkedHashSet<>();

        Collector(BpfObject object, Program program) {
            this.object = object;
            this.program = program;
        }

        void add(Permission p, Optional<Site> site, String reason) {
            String key = p + "@" + site.map(s -> s.function() + ":" + s.slot()).orElse("-");
            if (!seen.add(key)) {
                return;
            }
            Optional<String> text = site.map(s -> DISASSEMBLER.text(s.instruction()));
            Optional<LineInfo> line = site.flatMap(s -> object.btfExt()
                    .flatMap(ext -> ext.lineAt(s.section(), s.sectionSlot())));
            evidence.add(new Evidence(p, program.name(), site, text, line, reason));
        }
    }

}
