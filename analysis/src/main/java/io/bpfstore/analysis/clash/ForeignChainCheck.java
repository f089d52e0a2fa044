package io.bpfstore.analysis.clash;

import io.bpfstore.analysis.summary.PacketSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * tc hooks chain programs, so a foreign program on the same hook does not block the attach; but its verdicts are
 * unknown (bpfstore has not its object), and whichever runs first may end the chain for the other. The order is the
 * kernel's: every tcx program runs before the legacy tc filters of the hook (those only see what tcx passes on with
 * {@code TCX_NEXT}); a new tcx program goes after the ones there; legacy filters run by ascending priority.
 */
final class ForeignChainCheck {
    /**
     * tc verdicts that end the chain: everything but TC_ACT_UNSPEC (TCX_NEXT, -1). OK 0, RECLASSIFY 1, SHOT 2, PIPE 3,
     * STOLEN 4, QUEUED 5, REPEAT 6, REDIRECT 7, TRAP 8 (tcx stops on any value but TCX_NEXT).
     */
    private static final Set<Long> TC_ENDS = Set.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);

    private ForeignChainCheck() {
    }

    /** One warning per (tc placement, foreign program on the same hook) that one can hide packets from the other. */
    static List<Finding> check(List<Placement> placements, HostView host) {
        List<Finding> out = new ArrayList<>();
        for (Placement p : placements) {
            if (p.hook() == Hook.XDP) {
                continue; // exclusive: reported by ExclusiveHookCheck
            }
            Boolean ends = null; // worked out once per placement, and only when a foreign program runs after it
            for (HostView.HookOccupant o : host.occupants()) {
                if (o.hook() != p.hook() || host.owned().contains(o.programId())) {
                    continue;
                }
                Optional<Boolean> foreignFirst = foreignRunsFirst(o, host);
                if (foreignFirst.equals(Optional.of(false)) && ends == null) {
                    ends = mayEndChain(p);
                }
                if (foreignFirst.equals(Optional.of(false)) && !ends) {
                    continue; // ours runs first and always passes the packet on: the foreign one sees everything
                }
                List<Subject> subjects = p.against(o, host);
                String where = p.hook().describe() + host.iface().map(i -> " of " + i).orElse("");
                String theirs = "program " + o.programId() + " '" + o.programName() + "'";
                String ours = p.program().name() + " of " + p.pkg().name();
                String how = switch (o.mode()) {
                    case TC_FILTER -> " as a legacy tc filter (priority " + o.priority() + ")";
                    case LINK -> " through tcx";
                    default -> "";
                };
                String message;
                String fix;
                if (foreignFirst.isEmpty()) {
                    message = theirs + " (not installed by bpfstore) is already on " + where + how + "; " + ours
                            + " would share the chain with it, and whichever runs first may end the chain "
                            + "(TC_ACT_OK, TC_ACT_SHOT, TC_ACT_REDIRECT) before the other sees the packet; its "
                            + "verdicts are unknown to bpfstore";
                    fix = "check what " + theirs + " returns, and attach " + p.program().name()
                            + " before it (tcx anchor) if it must see all traffic";
                } else if (foreignFirst.get()) {
                    message = theirs + " (not installed by bpfstore) is already on " + where + how + " and runs "
                            + "before " + ours + "; whatever it ends the chain for (TC_ACT_OK, TC_ACT_SHOT, "
                            + "TC_ACT_REDIRECT, anything but TCX_NEXT) never reaches " + p.program().name()
                            + ", and its verdicts are unknown to bpfstore";
                    fix = "check what " + theirs + " returns, and attach " + p.program().name() + " before it "
                            + "(tcx with BPF_F_BEFORE, or a lower legacy priority) if it must see all traffic";
                } else {
                    message = theirs + " (not installed by bpfstore) is on " + where + how + " and runs after "
                            + ours + ", which can end the chain (a verdict other than TC_ACT_UNSPEC/TCX_NEXT): "
                            + "the packets it ends the chain for never reach " + theirs;
                    fix = "check that " + theirs + " need not see what " + p.program().name() + " stops, or have "
                            + p.program().name() + " return TC_ACT_UNSPEC (TCX_NEXT) for traffic it does not own";
                }
                out.add(new Finding(FindingClass.CHAIN_ORDER, Severity.WARNING, subjects, message, fix));
            }
        }
        return out;
    }

    /**
     * Whether the foreign program runs before the package's, which goes to tcx (appended) unless the host view gives
     * a legacy slot; empty when the foreign program's attach mode is unknown.
     */
    private static Optional<Boolean> foreignRunsFirst(HostView.HookOccupant o, HostView host) {
        boolean oursLegacy = host.tc().isPresent();
        return switch (o.mode()) {
            case LINK -> Optional.of(true); // tcx: before a new tcx program, and before every legacy filter
            case TC_FILTER -> Optional.of(oursLegacy && o.priority() <= host.tc().get().priority());
            default -> Optional.empty();
        };
    }

    /** Whether the program may return a chain-ending verdict (true when its verdicts cannot be worked out). */
    private static boolean mayEndChain(Placement p) {
        Optional<PacketSummary> s = Summaries.of(p.pkg().object(), p.program());
        if (s.isEmpty() || !s.get().complete()) {
            return true;
        }
        // A tail call returns the callee's verdict, which this summary does not show.
        return s.get().outcomes().stream().anyMatch(o -> o.helpers().contains("bpf_tail_call")
                || TC_ENDS.stream().anyMatch(o::mayReturn));
    }
}
