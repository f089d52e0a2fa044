package io.bpfstore.analysis.clash;

import java.util.ArrayList;
import java.util.List;

/**
 * XDP holds one program per interface: a foreign program already there makes the attach fail (or replace it), and
 * two packages can share the hook only through a dispatcher that runs them in turn.
 */
final class ExclusiveHookCheck {
    /** The program name of libxdp's multi-program dispatcher. */
    static final String LIBXDP_DISPATCHER = "xdp_dispatcher";

    private ExclusiveHookCheck() {
    }

    /** Findings for the XDP placements, in priority order, against the host's occupants. */
    static List<Finding> check(List<Placement> xdp, HostView host) {
        List<Finding> out = new ArrayList<>();
        String iface = host.iface().orElse("the interface");
        for (Placement p : xdp) {
            for (HostView.HookOccupant o : host.occupants()) {
                if (o.hook() != Hook.XDP || host.owned().contains(o.programId())) {
                    continue; // bpfstore's own program (its dispatcher): an install recomposes it
                }
                List<Subject> subjects = p.against(o, host);
                String theirs = "program " + o.programId() + " '" + o.programName() + "'";
                String ours = "XDP program " + p.program().name() + " of " + p.pkg().name();
                if (o.programName().equals(LIBXDP_DISPATCHER)) {
                    out.add(new Finding(FindingClass.EXCLUSIVE_HOOK, Severity.ERROR, subjects,
                            ours + " needs the XDP hook of " + iface + ", which libxdp's dispatcher (" + theirs
                                    + ") holds; replacing it would detach every program libxdp runs there",
                            "detach the libxdp programs (xdp-loader unload " + iface + " --all) or install "
                                    + p.program().name() + " with xdp-loader instead"));
                } else if (o.mode() == HostView.AttachMode.LEGACY) {
                    out.add(new Finding(FindingClass.SILENT_REPLACEMENT, Severity.ERROR, subjects,
                            ours + " needs the XDP hook of " + iface + ", where " + theirs + " (not installed by "
                                    + "bpfstore) was attached without a link (as ip link set xdp does): a legacy "
                                    + "attach replaces it without an error, and an XDP link is refused (EBUSY)",
                            "detach " + theirs + " (ip link set dev " + iface + " xdp off) if it is not needed, "
                                    + "or leave " + iface + " to it"));
                } else {
                    out.add(new Finding(FindingClass.EXCLUSIVE_HOOK, Severity.ERROR, subjects,
                            ours + " needs the XDP hook of " + iface + ", which " + theirs + " (not installed by "
                                    + "bpfstore) already holds; an interface runs one XDP program, so attaching "
                                    + "would fail or replace it",
                            "detach " + theirs + " (ip link set dev " + iface + " xdp off, or delete its link) or "
                                    + "install into a bpfstore dispatcher"));
                }
            }
        }
        for (int i = 0; i < xdp.size(); i++) {
            for (int j = i + 1; j < xdp.size(); j++) {
                Placement a = xdp.get(i), b = xdp.get(j);
                List<Subject> subjects = new ArrayList<>(List.of(new Subject.PackageRef(a.pkg().name()),
                        new Subject.ProgramRef(a.pkg().name(), a.program().name()),
                        new Subject.PackageRef(b.pkg().name()),
                        new Subject.ProgramRef(b.pkg().name(), b.program().name())));
                host.iface().ifPresent(n -> subjects.add(new Subject.InterfaceRef(n, host.netns())));
                // A warning, not an error: a dispatcher composes them, and what that composition does to traffic
                // is reported by the chain checks that follow.
                out.add(new Finding(FindingClass.EXCLUSIVE_HOOK, Severity.WARNING, subjects,
                        "both " + a.pkg().name() + " (" + a.program().name() + ") and " + b.pkg().name() + " ("
                                + b.program().name() + ") attach to the XDP hook of " + iface
                                + ", which runs one program; they can run together only composed by a dispatcher, "
                                + a.program().name() + " first",
                        "install both through a bpfstore dispatcher (in this order), or install only one"));
            }
        }
        return out;
    }
}
