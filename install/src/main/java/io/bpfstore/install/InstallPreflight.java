package io.bpfstore.install;

import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.analysis.clash.ClashDetector;
import io.bpfstore.analysis.clash.ClashReport;
import io.bpfstore.analysis.clash.Finding;
import io.bpfstore.analysis.clash.FindingClass;
import io.bpfstore.analysis.clash.HostView;
import io.bpfstore.analysis.clash.Severity;
import io.bpfstore.kernel.probe.KernelFeatures;
import io.bpfstore.kernel.probe.ProbeCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The checks that run before anything is loaded: the one place where installing can be refused on policy
 * grounds. Today: the clash detector with the kernel's probed features (kernel fit: program and map types,
 * helpers, kfuncs), over the package and the installations already on the same hook (in run order), against the
 * host as {@code bpfstore check --host} reads it (the interface's or cgroup's other programs and how they are
 * attached, the namespace's one-per-netns hooks, pins, resources); ERROR findings refuse unless {@code --force}.
 * The host policy ({@link PolicyGate}) judged the package before this; the kernel's own verdict comes next, when
 * the package is loaded.
 */
public final class InstallPreflight {
    /** The kernel's features as last probed: valid for the boot they name, as the probe cache's file is. */
    private static final AtomicReference<KernelFeatures> PROBED = new AtomicReference<>();

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
     * @param ownLinks    the pins of bpfstore's links on the hook: the host read looks at these before it reads every
     *                    link on the host to tell how a program is attached
     * @throws InstallException listing the ERROR findings, unless {@code force}
     */
    public static Result check(Installation candidate, List<Installation> sameHook, Set<Integer> ownPrograms,
                               List<java.nio.file.Path> ownLinks, boolean force) {
        List<Installation> order = new ArrayList<>(sameHook);
        order.add(candidate);
        order.sort(java.util.Comparator.comparingInt(Installation::priority).thenComparing(Installation::id));
        List<CheckedPackage> packages = order.stream().map(i -> new CheckedPackage(i.id(), i.pkg().parse())).toList();
        HostView host = host(candidate.target(), packages, ownPrograms, ownLinks);
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

    /**
     * The host as the clash checks see it at the candidate's hook (the same reader as {@code bpfstore check}), with
     * bpfstore's own programs on the hook marked as owned: they are the installations checked, not foreign occupants.
     */
    private static HostView host(HookTarget target, List<CheckedPackage> packages, Set<Integer> ownPrograms,
                                 List<java.nio.file.Path> ownLinks) {
        KernelFeatures features = PROBED.get();
        if (features == null || !features.bootId().equals(ProbeCache.currentBootId())) {
            features = new ProbeCache(ProbeCache.defaultDirectory()).get();
            PROBED.set(features);
        }
        try {
            return HostViewReader.at(target, packages).withKnownLinks(ownLinks)
                    .read(features, OptionalLong.empty()).withOwned(ownPrograms);
        } catch (IOException e) {
            throw new InstallException("read the host's eBPF state for the clash checks: " + e.getMessage(), e);
        }
    }
}
