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
import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.probe.KernelFeatures;
import io.bpfstore.kernel.probe.ProbeCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Predicate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks that run before anything is loaded: the one place where installing can be refused on policy
 * grounds. Today: the clash detector with the kernel's probed features (kernel fit: program and map types,
 * helpers, kfuncs), over the package and the installations already on the same hook (in run order), against the
 * host's other programs on the interface; ERROR findings refuse unless {@code --force}.
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
        HostView host = host(candidate.target(), ownPrograms, kernelSupport(packages));
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
    private static HostView host(HookTarget target, Set<Integer> ownPrograms, HostView.KernelSupport kernel) {
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
                return new HostView(Optional.of(kernel), Optional.empty(), "", List.of());
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
        return new HostView(Optional.of(kernel), iface, netns.orElse(""), occupants);
    }

    /**
     * What this kernel supports, from the feature probes (cached per boot, see {@link ProbeCache}); the kernel's BTF
     * is read for kfunc names only when a package calls kfuncs.
     */
    static HostView.KernelSupport kernelSupport(List<CheckedPackage> packages) {
        KernelFeatures f = new ProbeCache(ProbeCache.defaultDirectory()).get();
        Set<ProgramType> programs = EnumSet.noneOf(ProgramType.class);
        f.programTypes().forEach((t, s) -> {
            if (s.usable()) {
                programs.add(t);
            }
        });
        Set<MapType> maps = EnumSet.noneOf(MapType.class);
        f.mapTypes().forEach((t, s) -> {
            if (s.usable()) {
                maps.add(t);
            }
        });
        Map<ProgramType, Set<Integer>> helpers = new EnumMap<>(ProgramType.class);
        f.helpers().forEach((t, ids) -> helpers.put(t, Set.copyOf(ids)));
        boolean kfuncs = packages.stream().flatMap(p -> p.object().programs().stream())
                .anyMatch(p -> !p.kfuncs().isEmpty());
        Predicate<String> lookup = name -> false;
        if (kfuncs && Files.isReadable(LoadOptions.VMLINUX_BTF)) {
            try {
                Btf btf = Btf.parse(Files.readAllBytes(LoadOptions.VMLINUX_BTF));
                lookup = name -> btf.find(name, BtfType.Func.class).isPresent();
            } catch (IOException e) {
                throw new UncheckedIOException("read " + LoadOptions.VMLINUX_BTF + ": " + e.getMessage(), e);
            }
        }
        return new HostView.KernelSupport(programs, maps, helpers, f.skippedHelpers(), lookup, f.kernelRelease());
    }

    private static String name(int id) {
        try (BpfProgram p = BpfProgram.fromId(id)) {
            return p.name();
        } catch (BpfException e) {
            return "?";
        }
    }
}
