package io.bpfstore.analysis.clash;

import java.util.ArrayList;
import java.util.List;

/**
 * A legacy tc filter is known by its hook, priority and handle: {@code tc filter add} at a taken priority and handle
 * fails (EEXIST), {@code tc filter replace} swaps the program there without a word. So a package going to legacy tc
 * must not take the slot of a filter bpfstore did not install. (tcx has no such slots; handle 0 lets the kernel pick
 * a free handle.)
 */
final class TcSlotCheck {
    private TcSlotCheck() {
    }

    /** One error per (tc placement, foreign filter at the same hook, priority and handle). */
    static List<Finding> check(List<Placement> placements, HostView host) {
        List<Finding> out = new ArrayList<>();
        if (host.tc().isEmpty() || host.tc().get().handle() == 0) {
            return out;
        }
        HostView.TcSlot slot = host.tc().get();
        for (Placement p : placements) {
            if (p.hook() == Hook.XDP) {
                continue;
            }
            for (HostView.HookOccupant o : host.occupants()) {
                if (o.hook() != p.hook() || o.mode() != HostView.AttachMode.TC_FILTER || o.priority() != slot.priority()
                        || o.handle() != slot.handle() || host.owned().contains(o.programId())) {
                    continue;
                }
                List<Subject> subjects = p.against(o, host);
                String where = p.hook().describe() + host.iface().map(i -> " of " + i).orElse("");
                String theirs = "program " + o.programId() + " '" + o.programName() + "'";
                out.add(new Finding(FindingClass.EXCLUSIVE_HOOK, Severity.ERROR, subjects,
                        theirs + " (not installed by bpfstore) is the legacy tc filter at priority " + slot.priority()
                                + ", handle 0x" + Integer.toHexString(slot.handle()) + " of " + where + "; "
                                + p.program().name() + " of " + p.pkg().name() + " at the same priority and handle "
                                + "would be refused (tc filter add: EEXIST) or silently take its place (tc filter "
                                + "replace)",
                        "use another priority or handle for " + p.program().name() + ", or attach it with tcx"));
            }
        }
        return out;
    }
}
