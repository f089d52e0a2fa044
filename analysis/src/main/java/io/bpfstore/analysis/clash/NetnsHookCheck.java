package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.helpers.Helper;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.ArrayList;
import java.util.List;

/**
 * Hooks a network namespace has once. The flow dissector holds one program per namespace: a second link is refused
 * (EEXIST), while BPF_PROG_ATTACH replaces a program attached the same way without an error. sk_lookup runs every
 * program of the namespace in attach order: the first socket selected with {@code bpf_sk_assign} stands unless a
 * later program replaces it ({@code BPF_SK_LOOKUP_F_REPLACE}), and {@code SK_DROP} from any program refuses the
 * packet, so two programs that pick sockets depend on their order.
 */
final class NetnsHookCheck {
    /** {@code bpf_sk_assign}: how an sk_lookup program picks a socket. */
    private static final int SK_ASSIGN = HelperCatalog.bundled().byName("bpf_sk_assign").map(Helper::id)
            .orElseThrow(() -> new IllegalStateException("the helper catalog lacks bpf_sk_assign"));

    private NetnsHookCheck() {
    }

    /** Findings for the packages' flow dissector and sk_lookup programs, among themselves and against the host. */
    static List<Finding> check(List<CheckedPackage> packages, HostView host) {
        List<Finding> out = new ArrayList<>();
        List<Placed> dissectors = new ArrayList<>();
        List<Placed> lookups = new ArrayList<>();
        for (CheckedPackage pkg : packages) {
            for (Program p : pkg.object().programs()) {
                if (p.type().filter(t -> t == ProgramType.FLOW_DISSECTOR).isPresent()) {
                    dissectors.add(new Placed(pkg, p));
                } else if (p.type().filter(t -> t == ProgramType.SK_LOOKUP).isPresent()) {
                    lookups.add(new Placed(pkg, p));
                }
            }
        }
        String ns = host.netns().isEmpty() ? "this network namespace" : "network namespace " + host.netns();
        Subject dissectorHook = new Subject.AttachPoint("netns hook", "flow_dissector"
                + (host.netns().isEmpty() ? "" : " (" + host.netns() + ")"));
        for (int i = 0; i < dissectors.size(); i++) {
            for (int j = i + 1; j < dissectors.size(); j++) {
                Placed a = dissectors.get(i), b = dissectors.get(j);
                out.add(new Finding(FindingClass.EXCLUSIVE_HOOK, Severity.ERROR,
                        List.of(new Subject.PackageRef(a.pkg.name()), new Subject.ProgramRef(a.pkg.name(), a.p.name()),
                                new Subject.PackageRef(b.pkg.name()), new Subject.ProgramRef(b.pkg.name(), b.p.name()),
                                dissectorHook),
                        "both " + a.describe() + " and " + b.describe() + " are flow dissectors; " + ns + " runs one "
                                + "flow dissector program, so the second attach fails (EEXIST) or replaces the first",
                        "install only one of them per network namespace"));
            }
        }
        for (Placed d : dissectors) {
            for (HostView.NetnsOccupant o : host.netnsHooks()) {
                if (o.attachType() != io.bpfstore.bytecode.sections.AttachType.FLOW_DISSECTOR
                        || host.owned().contains(o.programId())) {
                    continue;
                }
                List<Subject> subjects = List.of(new Subject.PackageRef(d.pkg.name()),
                        new Subject.ProgramRef(d.pkg.name(), d.p.name()), dissectorHook,
                        new Subject.ForeignProgram(o.programId(), o.programName()));
                String theirs = "program " + o.programId() + " '" + o.programName() + "'";
                out.add(o.link()
                        ? new Finding(FindingClass.EXCLUSIVE_HOOK, Severity.ERROR, subjects,
                                theirs + " (not installed by bpfstore) holds the flow dissector of " + ns
                                        + " through a link; " + d.describe() + " cannot attach there (EEXIST)",
                                "delete the link of " + theirs + " if it is not needed")
                        : new Finding(FindingClass.SILENT_REPLACEMENT, Severity.ERROR, subjects,
                                theirs + " (not installed by bpfstore) is the flow dissector of " + ns + ", attached "
                                        + "without a link: attaching " + d.describe() + " the same way would "
                                        + "replace it without an error, and a link is refused (EEXIST)",
                                "detach " + theirs + " (bpftool prog detach id " + o.programId()
                                        + " flow_dissector) if it is not needed"));
            }
        }
        List<Placed> choosers = lookups.stream().filter(l -> l.p.helperIds().contains(SK_ASSIGN)).toList();
        for (int i = 0; i < choosers.size(); i++) {
            for (int j = i + 1; j < choosers.size(); j++) {
                Placed a = choosers.get(i), b = choosers.get(j);
                out.add(new Finding(FindingClass.CHAIN_ORDER, Severity.WARNING,
                        List.of(new Subject.PackageRef(a.pkg.name()), new Subject.ProgramRef(a.pkg.name(), a.p.name()),
                                new Subject.PackageRef(b.pkg.name()), new Subject.ProgramRef(b.pkg.name(), b.p.name()),
                                new Subject.AttachPoint("netns hook", "sk_lookup")),
                        "both " + a.describe() + " and " + b.describe() + " pick sockets (bpf_sk_assign) on the "
                                + "sk_lookup hook of " + ns + "; all its programs run in attach order, so for traffic "
                                + "both claim the socket chosen by " + a.p.name() + " (attached first) stands unless "
                                + b.p.name() + " replaces it, and an SK_DROP from either refuses the packet",
                        "make sure they claim different addresses and ports, or install only one"));
            }
        }
        for (Placed c : choosers) {
            for (HostView.NetnsOccupant o : host.netnsHooks()) {
                if (o.attachType() != io.bpfstore.bytecode.sections.AttachType.SK_LOOKUP
                        || host.owned().contains(o.programId())) {
                    continue;
                }
                out.add(new Finding(FindingClass.CHAIN_ORDER, Severity.WARNING,
                        List.of(new Subject.PackageRef(c.pkg.name()), new Subject.ProgramRef(c.pkg.name(), c.p.name()),
                                new Subject.AttachPoint("netns hook", "sk_lookup"),
                                new Subject.ForeignProgram(o.programId(), o.programName())),
                        "program " + o.programId() + " '" + o.programName() + "' (not installed by bpfstore) is "
                                + "already on the sk_lookup hook of " + ns + " and runs before " + c.describe()
                                + "; a socket it picks stands unless " + c.p.name() + " replaces it, and its "
                                + "SK_DROP refuses packets " + c.p.name() + " would deliver",
                        "check which addresses and ports program " + o.programId() + " claims"));
            }
        }
        return out;
    }

    /** A package's program on a namespace hook. */
    private record Placed(CheckedPackage pkg, Program p) {
        String describe() {
            return p.name() + " (" + pkg.name() + ")";
        }
    }
}
