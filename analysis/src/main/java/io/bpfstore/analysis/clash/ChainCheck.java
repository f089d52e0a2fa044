package io.bpfstore.analysis.clash;

import io.bpfstore.analysis.summary.Outcome;
import io.bpfstore.analysis.summary.PacketSummary;
import io.bpfstore.analysis.summary.Verdicts;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Programs of several packages on one hook run in priority order; a verdict that ends the chain hides the packet
 * from every later program. With packet summaries on both sides the hidden traffic is named
 * ({@link FindingClass#SEMANTIC_OVERLAP}); without them only the possibility is reported
 * ({@link FindingClass#CHAIN_ORDER}).
 */
final class ChainCheck {
    /** XDP verdicts that end a dispatcher chain: ABORTED, DROP, TX, REDIRECT (XDP_PASS runs the next program). */
    private static final Set<Long> XDP_ENDS = Set.of(0L, 1L, 3L, 4L);
    /**
     * tc verdicts that end a tc chain: every one but TC_ACT_UNSPEC (TCX_NEXT, -1), which runs the next program. tcx
     * stops on any other value; cls_bpf in direct-action mode turns PIPE, QUEUED and REPEAT into TC_ACT_UNSPEC, but a
     * package may go to either, so they count as ending.
     */
    private static final Set<Long> TC_ENDS = Set.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    /** XDP verdicts that act on a packet, rather than let it on. */
    private static final Set<Long> XDP_ACTS = Set.of(0L, 1L, 3L, 4L);
    /** tc verdicts that act on a packet. */
    private static final Set<Long> TC_ACTS = Set.of(2L, 4L, 7L);
    /** Verdicts that throw the packet away: XDP_ABORTED, XDP_DROP; TC_ACT_SHOT. */
    private static final Set<Long> XDP_DROPS = Set.of(0L, 1L);
    private static final Set<Long> TC_DROPS = Set.of(2L);
    /** Traffic descriptions named per finding, at most. */
    private static final int MAX_TRAFFIC = 6;

    private ChainCheck() {
    }

    /** Findings for the placements of one hook, in priority order. */
    static List<Finding> check(List<Placement> chain, HostView host) {
        return Placement.eachPair(chain, (a, b) -> pair(a, b, host));
    }

    private static Optional<Finding> pair(Placement a, Placement b, HostView host) {
        Hook hook = a.hook();
        Set<Long> ends = hook == Hook.XDP ? XDP_ENDS : TC_ENDS;
        Set<Long> acts = hook == Hook.XDP ? XDP_ACTS : TC_ACTS;
        Optional<PacketSummary> sa = Summaries.of(a.pkg().object(), a.program());
        Optional<PacketSummary> sb = Summaries.of(b.pkg().object(), b.program());
        String where = hook.describe() + host.iface().map(i -> " of " + i).orElse("");
        List<Subject> subjects = a.with(b, host);
        String first = a.describe();
        String second = b.describe();
        if (sa.isEmpty() || sb.isEmpty() || !sa.get().complete() || !sb.get().complete()) {
            boolean mayEnd = sa.map(s -> s.outcomes().stream().anyMatch(o -> mayReturnAny(o, ends))).orElse(true);
            if (!mayEnd) {
                return Optional.empty();
            }
            return Optional.of(new Finding(FindingClass.CHAIN_ORDER, Severity.WARNING, subjects,
                    "on " + where + ", " + first + " runs before " + second + " and may end the chain with a verdict "
                            + "that hides the packet from it; which traffic could not be worked out",
                    "check that " + second + " need not see what " + first + " stops, or attach it first"));
        }
        PacketSummary pa = sa.get(), pb = sb.get();
        List<Outcome> endingOutcomes = new ArrayList<>(pa.outcomes());
        List<PacketSummary> outcomeSummary = new ArrayList<>(java.util.Collections.nCopies(endingOutcomes.size(), pa));
        if (pa.outcomes().stream().anyMatch(o -> o.helpers().contains("bpf_tail_call"))) {
            // A tail call that succeeds returns the callee's verdict: its callees are the package's other programs
            // of this hook (those a prog array can hold); their outcomes are A's too.
            for (var p : a.pkg().object().programs()) {
                if (p != a.program() && Placement.hookOf(p).equals(Optional.of(hook))) {
                    Optional<PacketSummary> callee = Summaries.of(a.pkg().object(), p);
                    if (callee.isEmpty() || !callee.get().complete()) {
                        return Optional.of(new Finding(FindingClass.CHAIN_ORDER, Severity.WARNING, subjects,
                                "on " + where + ", " + first + " runs before " + second + " and tail-calls into "
                                        + p.name() + ", whose verdicts could not be worked out; they may end the "
                                        + "chain before " + second + " sees the packet",
                                "check that " + second + " need not see what " + first + " stops, or attach it first"));
                    }
                    endingOutcomes.addAll(callee.get().outcomes());
                    outcomeSummary.addAll(java.util.Collections.nCopies(callee.get().outcomes().size(), callee.get()));
                }
            }
        }
        // What A hides: its chain-ending outcomes whose traffic B has a path for. Named by A's condition only: B's
        // facts decide whether the traffic meets, but naming them would describe B's parsing, not the traffic.
        List<Hidden> hidden = new ArrayList<>();
        Outcome lost = null;
        boolean aActs = false;
        boolean aTakes = false; // A ends the chain for B's traffic other than by dropping it: accepts, sends, rewrites
        Set<Long> drops = hook == Hook.XDP ? XDP_DROPS : TC_DROPS;
        for (int k = 0; k < endingOutcomes.size(); k++) {
            Outcome oa = endingOutcomes.get(k);
            PacketSummary owner = outcomeSummary.get(k);
            if (!mayReturnAny(oa, ends)) {
                continue;
            }
            boolean meets = false;
            for (Outcome ob : pb.outcomes()) {
                boolean bActs = mayReturnAny(ob, acts) || !ob.rewrites().isEmpty();
                if (!bActs && !records(ob) || !TrafficOverlap.compatible(oa.condition(), ob.condition())) {
                    continue;
                }
                meets = true;
                if (bActs && (lost == null || !lost.certainVerdict() && ob.certainVerdict())) {
                    lost = ob;
                }
            }
            if (meets) {
                hidden.add(new Hidden(owner.condition(oa), endingVerdicts(owner, oa, ends), oa.condition().size(),
                        oa.certainVerdict()));
                aActs |= mayReturnAny(oa, acts) || !oa.rewrites().isEmpty();
                aTakes |= ends.stream().anyMatch(v -> !drops.contains(v) && oa.mayReturn(v))
                        || !oa.rewrites().isEmpty();
            }
        }
        if (hidden.isEmpty()) {
            return Optional.empty();
        }
        // The plainest descriptions first: certain verdicts, then fewest facts.
        hidden.sort(java.util.Comparator.comparing((Hidden h) -> !h.certain()).thenComparingInt(Hidden::facts));
        LinkedHashSet<String> named = new LinkedHashSet<>();
        for (Hidden h : hidden) {
            if (named.size() < MAX_TRAFFIC && !named.contains(h.traffic())) {
                named.add(h.traffic());
                subjects.add(new Subject.Traffic(h.traffic()));
            }
        }
        LinkedHashSet<String> lines = new LinkedHashSet<>();
        for (Hidden h : hidden) {
            if (named.contains(h.traffic())) {
                lines.add(h.traffic() + " → " + h.verdicts());
            }
        }
        long distinct = hidden.stream().map(Hidden::traffic).distinct().count();
        String more = distinct > named.size() ? " (and " + (distinct - named.size()) + " more traffic classes)" : "";
        boolean conflict = lost != null;
        // A firewall dropping in front of a service is the usual intent: a warning. Accepting, sending or rewriting
        // traffic that a later program would act on bypasses that program's policy: an error.
        Severity severity = conflict && aTakes ? Severity.ERROR : Severity.WARNING;
        String message = "on " + where + ", " + first + " runs first and ends the chain for " + String.join("; ", lines)
                + more + "; " + second + (conflict ? " would act on that traffic (" + pb.action(lost)
                + ") but never sees it" : " never sees that traffic, so its maps miss it");
        String fix;
        if (!aActs) {
            fix = "have " + first + " return TC_ACT_UNSPEC (TCX_NEXT) so the chain goes on, or attach " + second
                    + " before it";
        } else if (conflict && aTakes) {
            fix = "decide which package owns this traffic: install only one, or narrow " + first
                    + "'s rules so they do not cover it";
        } else {
            fix = conflict ? "nothing if " + first + " is meant to filter in front of " + second + "; otherwise "
                    + "narrow its rules" : "attach " + second + " before " + first + " if it must see all traffic";
        }
        return Optional.of(new Finding(FindingClass.SEMANTIC_OVERLAP, severity, subjects, message, fix));
    }

    /** Traffic an earlier program ends the chain for, and with which verdicts. */
    private record Hidden(String traffic, String verdicts, int facts, boolean certain) {
    }

    /**
     * Whether the paths of an outcome leave a trace of the traffic they pass on: a map write (a counter, a flow
     * table, a ring buffer record), packet metadata, or a notable helper (a redirect, a clone). A plain
     * pass-through path leaves none: hiding its traffic changes nothing the program does.
     */
    private static boolean records(Outcome o) {
        return !o.mapWrites().isEmpty() || !o.metadataWrites().isEmpty() || !o.helpers().isEmpty();
    }

    private static boolean mayReturnAny(Outcome o, Set<Long> values) {
        return values.stream().anyMatch(o::mayReturn);
    }

    private static String endingVerdicts(PacketSummary s, Outcome o, Set<Long> ends) {
        List<String> names = new ArrayList<>();
        for (long v : new java.util.TreeSet<>(ends)) {
            if (o.mayReturn(v)) {
                names.add(Verdicts.name(s.type(), v));
            }
        }
        return String.join(" or ", names);
    }
}
