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
import io.bpfstore.bytecode.helpers.HelperEffect;
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
                        for (Permission p : fromHelper(HELPERS.effects(h.helper()))) {
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

    /** The permissions a helper with {@code effects} shows. */
    static List<Permission> fromHelper(Set<HelperEffect> effects) {
        List<Permission> out = new ArrayList<>();
        for (HelperEffect e : effects) {
            Permission p = switch (e) {
                case READS_KERNEL_MEMORY -> Permission.READS_KERNEL_MEMORY;
                case READS_USER_MEMORY -> Permission.READS_PROCESS_MEMORY;
                case WRITES_USER_MEMORY -> Permission.WRITES_PROCESS_MEMORY;
                case OVERRIDES_RETURN -> Permission.ALTERS_KERNEL_RESULTS;
                case SENDS_SIGNAL -> Permission.SENDS_SIGNALS;
                case EXPORTS_DATA -> Permission.EXPORTS_DATA;
                case READS_TASK_IDENTITY -> Permission.READS_PROCESS_IDENTITY;
                case TAIL_CALL -> Permission.CALLS_OTHER_PROGRAMS;
                case REDIRECTS -> Permission.REDIRECTS_PACKETS;
                case WRITES_PACKET_DATA, RESIZES_PACKET, SETS_TUNNEL_METADATA -> Permission.REWRITES_PACKETS;
                default -> null;
            };
            if (p != null && !out.contains(p)) {
                out.add(p);
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
