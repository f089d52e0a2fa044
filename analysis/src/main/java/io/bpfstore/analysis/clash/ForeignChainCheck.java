package io.bpfstore.analysis.clash;

import java.util.ArrayList;
import java.util.List;

/**
 * tc hooks chain programs, so a foreign program on the same hook does not block the attach; but its verdicts are
 * unknown (bpfstore has not its object), and whichever runs first may end the chain for the other.
 */
final class ForeignChainCheck {
    private ForeignChainCheck() {
    }

    /** One warning per (tc placement, foreign program on the same hook). */
    static List<Finding> check(List<Placement> placements, HostView host) {
        List<Finding> out = new ArrayList<>();
        for (Placement p : placements) {
            if (p.hook() == Hook.XDP) {
                continue; // exclusive: reported by ExclusiveHookCheck
            }
            for (HostView.HookOccupant o : host.occupants()) {
                if (o.hook() != p.hook()) {
                    continue;
                }
                List<Subject> subjects = new ArrayList<>(List.of(new Subject.PackageRef(p.pkg().name()),
                        new Subject.ProgramRef(p.pkg().name(), p.program().name())));
                host.iface().ifPresent(i -> subjects.add(new Subject.InterfaceRef(i, host.netns())));
                subjects.add(new Subject.ForeignProgram(o.programId(), o.programName()));
                String where = p.hook().describe() + host.iface().map(i -> " of " + i).orElse("");
                out.add(new Finding(FindingClass.CHAIN_ORDER, Severity.WARNING, subjects,
                        "program " + o.programId() + " '" + o.programName() + "' (not installed by bpfstore) is "
                                + "already on " + where + "; " + p.program().name() + " of " + p.pkg().name()
                                + " would share the chain with it, and whichever runs first may end the chain "
                                + "(TC_ACT_OK, TC_ACT_SHOT, TC_ACT_REDIRECT) before the other sees the packet; "
                                + "its verdicts are unknown to bpfstore",
                        "check what program " + o.programId() + " '" + o.programName() + "' returns, and attach "
                                + p.program().name() + " before it (tcx anchor) if it must see all traffic"));
            }
        }
        return out;
    }
}
