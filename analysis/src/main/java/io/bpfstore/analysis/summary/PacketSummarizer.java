package io.bpfstore.analysis.summary;

import io.bpfstore.analysis.cfg.Block;
import io.bpfstore.analysis.cfg.ControlFlowGraph;
import io.bpfstore.analysis.domain.Atom;
import io.bpfstore.analysis.domain.Effects;
import io.bpfstore.analysis.domain.Interval;
import io.bpfstore.analysis.domain.ProgramContext;
import io.bpfstore.analysis.domain.RegionDomain;
import io.bpfstore.analysis.domain.RegionState;
import io.bpfstore.analysis.domain.Site;
import io.bpfstore.analysis.domain.Value;
import io.bpfstore.analysis.interp.Fixpoint;
import io.bpfstore.analysis.interp.FixpointSolver;
import io.bpfstore.analysis.interp.PartitionedDomain;
import io.bpfstore.analysis.interp.Partitions;
import io.bpfstore.bytecode.asm.CallHelper;
import io.bpfstore.bytecode.helpers.Helper;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import io.bpfstore.bytecode.helpers.HelperEffect;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the region domain over a program and reads its exits: the entry point of clash analysis.
 *
 * <p>Usage: {@code PacketSummarizer.summarize(object, program)} for packet programs (XDP, tc, cgroup_skb, socket
 * filter, ...), {@code PacketSummarizer.analyze(object, program)} for the raw exit states of any program (used by
 * the permission analysis).
 */
public final class PacketSummarizer {
    /** Partitions kept per block before paths are merged. */
    public static final int PARTITION_LIMIT = 128;
    private static final HelperCatalog HELPERS = HelperCatalog.bundled();

    private PacketSummarizer() {
    }

    /**
     * The exit states of a program: what the fixpoint found at each {@code exit} of the entry function.
     *
     * @param program  the program
     * @param type     its type (UNSPEC when unknown)
     * @param exits    each exit state (one per partition per exit instruction), with the exit instruction
     * @param effects  the union of all paths' effects
     * @param complete whether the fixpoint was reached
     * @param visits   block visits made (a cost figure)
     */
    public record Analysis(Program program, ProgramType type, List<ExitState> exits, Effects effects,
                           boolean complete, int visits) {
        /** Copies. */
        public Analysis {
            exits = List.copyOf(exits);
        }
    }

    /**
     * A state reaching an {@code exit} of the entry function.
     *
     * @param site  the exit instruction
     * @param state the state before it
     */
    public record ExitState(Site site, RegionState state) {
    }

    /** Runs the analysis of {@code program} of {@code object}. */
    public static Analysis analyze(BpfObject object, Program program) {
        Map<String, MapDefinition> maps = new LinkedHashMap<>();
        for (MapDefinition d : object.maps()) {
            maps.put(d.name(), d);
        }
        return analyze(program, new ProgramContext(program.type(), maps, object.order()));
    }

    /** Runs the analysis of {@code program} in {@code context} (for programs not read from an object). */
    public static Analysis analyze(Program program, ProgramContext context) {
        RegionDomain region = new RegionDomain(context);
        PartitionedDomain<RegionState, Atom> domain = new PartitionedDomain<>(region, region, PARTITION_LIMIT);
        ControlFlowGraph graph = ControlFlowGraph.of(program);
        Fixpoint<Partitions<RegionState>> fixpoint = new FixpointSolver().solve(graph, domain);
        List<ExitState> exits = new ArrayList<>();
        Effects all = Effects.NONE;
        for (Block b : graph.exits()) {
            List<Partitions<RegionState>> states = fixpoint.statesIn(b);
            if (states.isEmpty()) {
                continue;
            }
            Site site = Site.of(b, b.last());
            for (RegionState s : states.getLast().states()) {
                exits.add(new ExitState(site, s));
                all = all.join(s.effects());
            }
        }
        return new Analysis(program, program.type().orElse(ProgramType.UNSPEC), exits, all, fixpoint.complete(),
                fixpoint.iterations());
    }

    /** Whether programs of {@code type} decide the fate of packets by their return value. */
    public static boolean isPacketProgram(ProgramType type) {
        return switch (type) {
            case XDP, SCHED_CLS, SCHED_ACT, CGROUP_SKB, SOCKET_FILTER, SK_SKB, SK_MSG, LWT_IN, LWT_OUT, LWT_XMIT -> true;
            default -> false;
        };
    }

    /** The summary of a packet program analysed in {@code context}; empty for other program types. */
    public static Optional<PacketSummary> summarize(Program program, ProgramContext context) {
        ProgramType type = program.type().orElse(ProgramType.UNSPEC);
        return isPacketProgram(type) ? Optional.of(summarize(analyze(program, context))) : Optional.empty();
    }

    /** The summary of a packet program; empty for other program types. */
    public static Optional<PacketSummary> summarize(BpfObject object, Program program) {
        ProgramType type = program.type().orElse(ProgramType.UNSPEC);
        if (!isPacketProgram(type)) {
            return Optional.empty();
        }
        return Optional.of(summarize(analyze(object, program)));
    }

    /**
     * The summary of an analysis already run: exit states whose traffic facts agree (they differ only in jumps on
     * other data) make one outcome.
     */
    public static PacketSummary summarize(Analysis analysis) {
        Map<List<Atom>, List<RegionState>> groups = new LinkedHashMap<>();
        for (ExitState e : analysis.exits()) {
            RegionState s = e.state();
            List<Atom> facts = s.path().stream().filter(a -> !(a instanceof Atom.Opaque)).toList();
            groups.computeIfAbsent(facts, k -> new ArrayList<>()).add(s);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Map.Entry<List<Atom>, List<RegionState>> g : groups.entrySet()) {
            List<Interval> verdicts = new ArrayList<>();
            Effects effects = Effects.NONE;
            boolean approximate = false;
            for (RegionState s : g.getValue()) {
                verdicts.add(s.r0() instanceof Value.Scalar sc ? sc.range() : Interval.TOP);
                effects = effects.join(s.effects());
                approximate |= s.coarsened();
            }
            Set<String> helpers = new LinkedHashSet<>();
            for (Site call : effects.calls()) {
                if (call.instruction() instanceof CallHelper h) {
                    String name = HELPERS.byId(h.helper()).map(Helper::name).orElse("helper " + h.helper());
                    if (notable(HELPERS.effects(h.helper()))) {
                        helpers.add(name);
                    }
                }
            }
            outcomes.add(new Outcome(g.getKey(), approximate, normalize(verdicts), effects.packetWrites(),
                    helpers.stream().sorted().toList(), effects.opaqueBranches(), effects.mapWrites(),
                    effects.ctxWrites()));
        }
        return new PacketSummary(analysis.program().name(), analysis.type(), outcomes, analysis.complete());
    }

    /** Sorted, with overlapping or adjacent intervals merged. */
    static List<Interval> normalize(List<Interval> intervals) {
        List<Interval> sorted = new ArrayList<>(intervals);
        sorted.sort(java.util.Comparator.comparingLong(Interval::lo));
        List<Interval> out = new ArrayList<>();
        for (Interval i : sorted) {
            if (!out.isEmpty() && (out.getLast().hi() == Long.MAX_VALUE || i.lo() <= out.getLast().hi() + 1)) {
                Interval last = out.removeLast();
                out.add(last.join(i));
            } else {
                out.add(i);
            }
        }
        return out;
    }

    /** Helpers worth naming in a summary: they send the packet elsewhere, change it or leave the program. */
    static boolean notable(Set<HelperEffect> effects) {
        return effects.contains(HelperEffect.REDIRECTS) || effects.contains(HelperEffect.CLONES)
                || effects.contains(HelperEffect.TAIL_CALL) || effects.contains(HelperEffect.RESIZES_PACKET)
                || effects.contains(HelperEffect.WRITES_PACKET_DATA);
    }
}
