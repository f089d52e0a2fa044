package io.bpfstore.analysis.clash;

import io.bpfstore.analysis.summary.Outcome;
import io.bpfstore.analysis.summary.PacketSummarizer;
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
    /** tc verdicts that end a tc chain: OK, SHOT, STOLEN, REDIRECT (TC_ACT_UNSPEC/TCX_NEXT runs the next one). */
    private static final Set<Long> TC_ENDS = Set.of(0L, 2L, 4L, 7L);
    /** XDP verdicts that act on a packet, rather than let it on. */
    private static final Set<Long> XDP_ACTS = Set.of(0L, 1L, 3L, 4L);
    /** tc verdicts that act on a packet. */
    private static final Set<Long> TC_ACTS = Set.of(2L, 4L, 7L);
    /** Traffic descriptions named per finding, at most. */
    private static final int MAX_TRAFFIC = 6;

    private ChainCheck() {
    }

    /** Findings for the placements of one hook, in priority order. */
    static List<Finding> check(List<Placement> chain, HostView host) {
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            for (int j = i + 1; j < chain.size(); j++) {
                pair(chain.get(i), chain.get(j), host).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<Finding> pair(Placement a, Placement b, HostView host) {
        Hook hook = a.hook();
        Set<Long> ends = hook == Hook.XDP ? XDP_ENDS : TC_ENDS;
        Set<Long> acts = hook == Hook.XDP ? XDP_ACTS : TC_ACTS;
        Optional<PacketSummary> sa = PacketSummarizer.summarize(a.pkg().object(), a.program());
        Optional<PacketSummary> sb = PacketSummarizer.summarize(b.pkg().object(), b.program());
        String where = hook.describe() + host.iface().map(i -> " of " + i).orElse("");
        List<Subject> subjects = new ArrayList<>(List.of(new Subject.PackageRef(a.pkg().name()),
                new Subject.ProgramRef(a.pkg().name(), a.program().name()), new Subject.PackageRef(b.pkg().name()),
                new Subject.ProgramRef(b.pkg().name(), b.program().name())));
        host.iface().ifPresent(n -> subjects.add(new Subject.InterfaceRef(n, host.netns())));
        String first = a.program().name() + " (" + a.pkg().name() + ")";
        String second = b.program().name() + " (" + b.pkg().name() + ")";
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
        LinkedHashSet<String> traffic = new LinkedHashSet<>();
        boolean conflict = false;
        String lostAction = null;
        boolean bNeeds = !b.pkg().object().maps().isEmpty();
        for (Outcome oa : pa.outcomes()) {
            if (!mayReturnAny(oa, ends)) {
                continue;
            }
            for (Outcome ob : pb.outcomes()) {
                boolean bActs = mayReturnAny(ob, acts) || !ob.rewrites().isEmpty();
                if (!bActs && !bNeeds || !TrafficOverlap.compatible(oa.condition(), ob.condition())) {
                    continue;
                }
                Outcome both = new Outcome(TrafficOverlap.both(oa.condition(), ob.condition()),
                        oa.approximate() || ob.approximate(), oa.verdicts(), Set.of(), List.of(), Set.of());
                traffic.add(pa.condition(both) + " (" + first + ": " + endingVerdicts(pa, oa, ends) + ")");
                if (bActs && !conflict) {
                    conflict = true;
                    lostAction = pb.action(ob);
                }
            }
        }
        if (traffic.isEmpty()) {
            return Optional.empty();
        }
        List<String> named = new ArrayList<>(traffic);
        String more = named.size() > MAX_TRAFFIC ? " and " + (named.size() - MAX_TRAFFIC) + " more" : "";
        named = named.subList(0, Math.min(MAX_TRAFFIC, named.size()));
        for (String t : named) {
            subjects.add(new Subject.Traffic(t.substring(0, t.lastIndexOf(" ("))));
        }
        String message = "on " + where + ", " + first + " runs first and ends the chain for " + String.join("; ", named)
                + more + "; " + second + (conflict ? " would act on that traffic (" + lostAction
                + ") but never sees it" : " never sees that traffic, so its maps miss it");
        String fix = conflict ? "decide which package owns this traffic: install only one, or narrow "
                + first + "'s rules so they do not cover it"
                : "attach " + second + " before " + first + " if it must see all traffic"
                + (hook == Hook.XDP ? "" : ", or have " + first + " return TC_ACT_UNSPEC (TCX_NEXT) so the chain goes on");
        return Optional.of(new Finding(FindingClass.SEMANTIC_OVERLAP, conflict ? Severity.ERROR : Severity.WARNING,
                subjects, message, fix));
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
