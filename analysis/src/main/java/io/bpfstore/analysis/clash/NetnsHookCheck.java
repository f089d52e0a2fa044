package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.helpers.Helper;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
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
        for (List<Placed> pair : pairs(dissectors)) {
            Placed a = pair.get(0), b = pair.get(1);
            out.add(new Finding(FindingClass.EXCLUSIVE_HOOK, Severity.ERROR, subjects(pair, dissectorHook),
                    "both " + a.describe() + " and " + b.describe() + " are flow dissectors; " + ns + " runs one "
                            + "flow dissector program, so the second attach fails (EEXIST) or replaces the first",
                    "install only one of them per network namespace"));
        }
        for (Placed d : dissectors) {
            for (HostView.NetnsOccupant o : foreign(host, AttachType.FLOW_DISSECTOR)) {
                List<Subject> subjects = subjects(List.of(d), dissectorHook,
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
        Subject lookupHook = new Subject.AttachPoint("netns hook", "sk_lookup");
        for (List<Placed> pair : pairs(choosers)) {
            Placed a = pair.get(0), b = pair.get(1);
            out.add(new Finding(FindingClass.CHAIN_ORDER, Severity.WARNING, subjects(pair, lookupHook),
                    "both " + a.describe() + " and " + b.describe() + " pick sockets (bpf_sk_assign) on the "
                            + "sk_lookup hook of " + ns + "; all its programs run in attach order, so for traffic "
                            + "both claim the socket chosen by " + a.p.name() + " (attached first) stands unless "
                            + b.p.name() + " replaces it, and an SK_DROP from either refuses the packet",
                    "make sure they claim different addresses and ports, or install only one"));
        }
        for (Placed c : choosers) {
            for (HostView.NetnsOccupant o : foreign(host, AttachType.SK_LOOKUP)) {
                out.add(new Finding(FindingClass.CHAIN_ORDER, Severity.WARNING,
                        subjects(List.of(c), lookupHook, new Subject.ForeignProgram(o.programId(), o.programName())),
                        "program " + o.programId() + " '" + o.programName() + "' (not installed by bpfstore) is "
                                + "already on the sk_lookup hook of " + ns + " and runs before " + c.describe()
                                + "; a socket it picks stands unless " + c.p.name() + " replaces it, and its "
                                + "SK_DROP refuses packets " + c.p.name() + " would deliver",
                        "check which addresses and ports program " + o.programId() + " claims"));
            }
        }
        return out;
    }

    /** Every two of {@code placed}, in order (the first before the second). */
    private static List<List<Placed>> pairs(List<Placed> placed) {
        List<List<Placed>> out = new ArrayList<>();
        for (int i = 0; i < placed.size(); i++) {
            for (int j = i + 1; j < placed.size(); j++) {
                out.add(List.of(placed.get(i), placed.get(j)));
            }
        }
        return out;
    }

    /** The namespace's programs on hook {@code type} that bpfstore did not install. */
    private static List<HostView.NetnsOccupant> foreign(HostView host, AttachType type) {
        return host.netnsHooks().stream()
                .filter(o -> o.attachType() == type && !host.owned().contains(o.programId())).toList();
    }

    /** Each placed program's package and program, then {@code more}: the subjects of a finding. */
    private static List<Subject> subjects(List<Placed> placed, Subject... more) {
        List<Subject> out = new ArrayList<>();
        for (Placed p : placed) {
            out.add(new Subject.PackageRef(p.pkg.name()));
            out.add(new Subject.ProgramRef(p.pkg.name(), p.p.name()));
        }
        out.addAll(List.of(more));
        return List.copyOf(out);
    }

    /** A package's program on a namespace hook. */
    private record Placed(CheckedPackage pkg, Program p) {
        String describe() {
            return p.name() + " (" + pkg.name() + ")";
        }
    }
}
