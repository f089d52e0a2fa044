package io.bpfstore.agent.watch;

import io.bpfstore.agent.event.EventKind;
import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.analysis.clash.ClashDetector;
import io.bpfstore.analysis.clash.Finding;
import io.bpfstore.analysis.clash.HostView;
import io.bpfstore.analysis.clash.Subject;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.install.HookTarget;
import io.bpfstore.install.HostViewReader;
import io.bpfstore.install.Installation;
import io.bpfstore.kernel.AttachedPrograms;
import io.bpfstore.kernel.Cgroup;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.inventory.NetworkAttachments;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.kernel.probe.KernelFeatures;
import io.bpfstore.kernel.probe.ProbeCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Foreign programs at an installation's hook, explained by the clash check. Each look first reads only the program
 * ids on the hook (one rtnetlink dump and BPF_PROG_QUERY, or one cgroup query); only when they changed and one of
 * them is not bpfstore's does it read the whole host view ({@link HostViewReader}, as install's preflight does) and
 * run {@link ClashDetector} over the installation's package, keeping the findings that name a foreign program: what
 * the foreign program now hides from the package, or that it holds the package's hook.
 */
final class ForeignPrograms {
    /** Per installation: the hook's program ids at the last look and the conditions they gave. */
    private final Map<String, Seen> seen = new HashMap<>();
    private final Map<String, BpfObject> objects = new HashMap<>();
    private KernelFeatures features;

    private record Seen(Set<Integer> onHook, Set<Integer> foreign, List<Condition> conditions) {
    }

    /** The foreign-program conditions of {@code w}, with {@code owned} the ids of every bpfstore program. */
    List<Condition> check(InstallationSource.Watched w, Set<Integer> owned) {
        Installation i = w.installation();
        if (i.target() instanceof HookTarget.Tracing) {
            return List.of();
        }
        Set<Integer> onHook = onHook(i);
        Set<Integer> foreign = new TreeSet<>(onHook);
        foreign.removeAll(owned);
        Seen last = seen.get(i.id());
        if (last != null && last.onHook().equals(onHook) && last.foreign().equals(foreign)) {
            return last.conditions();
        }
        List<Condition> conditions = foreign.isEmpty() ? List.of() : explain(i, owned);
        seen.put(i.id(), new Seen(onHook, foreign, conditions));
        return conditions;
    }

    /** Forgets installations no longer recorded. */
    void retain(Set<String> ids) {
        seen.keySet().retainAll(ids);
        objects.keySet().removeIf(k -> !ids.contains(k.substring(0, k.indexOf('@'))));
    }

    /** The program ids on the installation's hook now. */
    private Set<Integer> onHook(Installation i) {
        return switch (i.target()) {
            case HookTarget.Xdp x -> inNamespace(x.netns(), () -> {
                Set<Integer> ids = new TreeSet<>();
                NetworkAttachments.scan().xdp().stream().filter(a -> a.device().equals(x.iface()))
                        .forEach(a -> ids.add(a.programId()));
                return ids;
            });
            case HookTarget.Tc t -> inNamespace(t.netns(), () -> {
                Set<Integer> ids = new TreeSet<>();
                NetworkAttachments n = NetworkAttachments.scan();
                AttachType tcx = t.direction() == Direction.EGRESS ? AttachType.TCX_EGRESS : AttachType.TCX_INGRESS;
                n.tcx().stream().filter(a -> a.device().equals(t.iface()) && a.attachType() == tcx)
                        .forEach(a -> ids.add(a.programId()));
                n.tc().stream().filter(f -> f.device().equals(t.iface()) && f.direction() == t.direction())
                        .forEach(f -> ids.add(f.programId()));
                return ids;
            });
            case HookTarget.Cgroup c -> {
                Set<Integer> ids = new TreeSet<>();
                try (Cgroup cg = Cgroup.open(c.path())) {
                    for (AttachType hook : cgroupHooks(object(i))) {
                        ids.addAll(AttachedPrograms.query(cg.fd().value(), hook, false).programIds());
                    }
                }
                yield ids;
            }
            case HookTarget.Tracing t -> Set.of();
        };
    }

    /** The clash check's findings about foreign programs at the hook, as conditions. */
    private List<Condition> explain(Installation i, Set<Integer> owned) {
        if (i.target() instanceof HookTarget.Tracing) {
            return List.of();
        }
        List<CheckedPackage> packages = List.of(new CheckedPackage(i.id(), object(i)));
        HostView host;
        try {
            host = HostViewReader.at(i.target(), packages).read(features(), OptionalLong.empty()).withOwned(owned);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("read the host view at " + i.target().describe(), e);
        }
        // A legacy tc installation's own filter gives the clash check its slot, so it can tell who runs first.
        for (HostView.HookOccupant o : host.occupants()) {
            if (o.mode() == HostView.AttachMode.TC_FILTER && owned.contains(o.programId())) {
                host = host.withTcSlot(new HostView.TcSlot(o.priority(), o.handle()));
            }
        }
        List<Condition> out = new ArrayList<>();
        for (Finding f : ClashDetector.check(packages, host).findings()) {
            for (Subject.ForeignProgram foreign : f.subjects(Subject.ForeignProgram.class)) {
                out.add(new Condition(EventKind.FOREIGN_PROGRAM, i.id(), "foreign:" + i.id() + ":" + foreign.id() + ":"
                        + f.findingClass().label(), "another tool attached " + foreign.describe() + " at "
                        + i.target().describe() + " of " + i.id() + " (" + i.pkg().name() + " " + i.pkg().version()
                        + "): " + f.message(), Map.of("program_id", Integer.toString(foreign.id()),
                        "program_name", foreign.name(), "finding", f.findingClass().label(),
                        "severity", f.severity().name().toLowerCase(java.util.Locale.ROOT),
                        "hook", i.target().describe(), "fix", f.fix())));
            }
        }
        return out;
    }

    private BpfObject object(Installation i) {
        return objects.computeIfAbsent(i.id() + "@" + i.generation(), k -> i.pkg().parse());
    }

    private KernelFeatures features() {
        if (features == null) {
            features = new ProbeCache(ProbeCache.defaultDirectory()).get();
        }
        return features;
    }

    private static List<AttachType> cgroupHooks(BpfObject object) {
        List<AttachType> hooks = new ArrayList<>();
        for (Program p : object.programs()) {
            p.attachType().filter(a -> a.name().startsWith("CGROUP_") && !hooks.contains(a)).ifPresent(hooks::add);
        }
        return hooks;
    }

    private static <T> T inNamespace(Optional<String> netns, java.util.concurrent.Callable<T> task) {
        if (netns.isEmpty()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return Netns.at(Netns.file(netns.get())).run(task);
    }
}
