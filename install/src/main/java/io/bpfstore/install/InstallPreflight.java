package io.bpfstore.install;

import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.analysis.clash.ClashDetector;
import io.bpfstore.analysis.clash.ClashReport;
import io.bpfstore.analysis.clash.Finding;
import io.bpfstore.analysis.clash.FindingClass;
import io.bpfstore.analysis.clash.Hook;
import io.bpfstore.analysis.clash.HostView;
import io.bpfstore.analysis.clash.Severity;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.inventory.NetworkAttachments;
import io.bpfstore.kernel.inventory.TcxAttachment;
import io.bpfstore.kernel.netlink.TcFilter;
import io.bpfstore.kernel.netlink.XdpAttachment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks that run before anything is loaded: the one place where installing can be refused on policy
 * grounds. Today: the clash detector over the package, the installations already on the same hook (in run
 * order) and the host's other programs on the interface; ERROR findings refuse unless {@code --force}.
 * (Host policy — allowed publishers and permissions — plugs in here.) The kernel's own verdict comes next, when
 * the package is loaded.
 */
public final class InstallPreflight {
    private InstallPreflight() {
    }

    /**
     * The outcome.
     *
     * @param report   the clash report
     * @param warnings finding lines to show the user
     */
    public record Result(ClashReport report, List<String> warnings) {
    }

    /**
     * Checks {@code candidate} against {@code sameHook} (installations already on its hook) and the host.
     *
     * @param ownPrograms kernel ids of programs bpfstore itself attached on the hook (not foreign occupants)
     * @throws InstallException listing the ERROR findings, unless {@code force}
     */
    public static Result check(Installation candidate, List<Installation> sameHook, Set<Integer> ownPrograms,
                               boolean force) {
        List<Installation> order = new ArrayList<>(sameHook);
        order.add(candidate);
        order.sort(java.util.Comparator.comparingInt(Installation::priority).thenComparing(Installation::id));
        List<CheckedPackage> packages = order.stream().map(i -> new CheckedPackage(i.id(), i.pkg().parse())).toList();
        HostView host = host(candidate.target(), ownPrograms);
        ClashReport report = ClashDetector.check(packages, host);
        List<String> errors = report.findings().stream().filter(f -> f.severity() == Severity.ERROR)
                .map(Finding::message).toList();
        if (!errors.isEmpty() && !force) {
            throw new InstallException("refused: " + errors.size() + " clash error" + (errors.size() == 1 ? "" : "s")
                    + " (--force installs anyway): " + String.join("; ", errors));
        }
        // Packages sharing an XDP hook is what the dispatcher is for: the "one program per hook" warnings between
        // two packages say nothing here (a foreign occupant is an ERROR and stays).
        List<String> warnings = report.findings().stream()
                .filter(f -> f.severity() != Severity.ERROR || force)
                .filter(f -> !(f.findingClass() == FindingClass.EXCLUSIVE_HOOK && f.severity() == Severity.WARNING))
                .map(f -> f.severity().name().toLowerCase() + ": " + f.message()).toList();
        return new Result(report, warnings);
    }

    /** The interface's other programs (those bpfstore did not attach), for network hooks. */
    private static HostView host(HookTarget target, Set<Integer> ownPrograms) {
        Optional<String> iface;
        Optional<String> netns;
        switch (target) {
            case HookTarget.Xdp x -> {
                iface = Optional.of(x.iface());
                netns = x.netns();
            }
            case HookTarget.Tc t -> {
                iface = Optional.of(t.iface());
                netns = t.netns();
            }
            default -> {
                return HostView.none();
            }
        }
        NetworkAttachments attachments = HookTarget.netnsOf(netns).run(NetworkAttachments::scan);
        List<HostView.HookOccupant> occupants = new ArrayList<>();
        for (XdpAttachment a : attachments.xdp()) {
            if (a.device().equals(iface.get()) && !ownPrograms.contains(a.programId())) {
                occupants.add(new HostView.HookOccupant(Hook.XDP, a.programId(), name(a.programId())));
            }
        }
        for (TcxAttachment a : attachments.tcx()) {
            if (a.device().equals(iface.get()) && !ownPrograms.contains(a.programId())) {
                Hook hook = a.attachType().name().endsWith("EGRESS") ? Hook.TC_EGRESS : Hook.TC_INGRESS;
                occupants.add(new HostView.HookOccupant(hook, a.programId(), name(a.programId())));
            }
        }
        for (TcFilter f : attachments.tc()) {
            if (f.device().equals(iface.get()) && !ownPrograms.contains(f.programId())) {
                Hook hook = f.direction() == TcFilter.Direction.EGRESS ? Hook.TC_EGRESS : Hook.TC_INGRESS;
                occupants.add(new HostView.HookOccupant(hook, f.programId(), name(f.programId())));
            }
        }
        return new HostView(Optional.empty(), iface, netns.orElse(""), occupants);
    }

    private static String name(int id) {
        try (BpfProgram p = BpfProgram.fromId(id)) {
            return p.name();
        } catch (BpfException e) {
            return "?";
        }
    }
}
