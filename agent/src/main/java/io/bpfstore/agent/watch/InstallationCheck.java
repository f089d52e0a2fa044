package io.bpfstore.agent.watch;

import io.bpfstore.agent.event.EventKind;
import io.bpfstore.install.HookTarget;
import io.bpfstore.install.Installation;
import io.bpfstore.install.InstallationStatus;
import io.bpfstore.install.InstallationStatus.ObjectStatus;
import io.bpfstore.install.Pin;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.netlink.InterfaceDump;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The conditions of one installation that need no clash check: its hook target gone (network namespace,
 * interface, cgroup), its links detached, its pins removed. Reads the kernel through install's status. Metrics
 * ask {@link #targetGone} for every installation's {@code bpfstore_installation_healthy} (they read the pins and
 * links themselves) and {@link #problems(InstallationSource.Watched, Targets)} for XDP installations.
 */
public final class InstallationCheck {
    private InstallationCheck() {
    }

    /** The kernel ids of the programs an installation runs: its pinned programs and, for XDP, its dispatcher's. */
    public static Set<Integer> ownPrograms(InstallationSource.Watched w) {
        Set<Integer> ids = new HashSet<>();
        for (ObjectStatus o : w.status().objects()) {
            if (o.kind() == Pin.Kind.PROGRAM && o.alive()) {
                ids.add(o.id());
            }
        }
        w.status().dispatcher().filter(ObjectStatus::alive).ifPresent(d -> {
            try (BpfLink link = BpfLink.openPinned(d.pin())) {
                ids.add(link.info().programId());
            } catch (BpfException e) {
                // detached or unpinned since the status was read: the next look reports it
            }
        });
        return ids;
    }

    /**
     * What is wrong with each installation now, one line each (empty when it runs as installed), by installation id.
     * Reads each namespace's interfaces once.
     */
    public static Map<String, List<String>> problems(List<InstallationSource.Watched> all) {
        Targets targets = new Targets();
        Map<String, List<String>> out = new HashMap<>();
        for (InstallationSource.Watched w : all) {
            out.put(w.installation().id(), check(w, targets).stream().map(Condition::message).toList());
        }
        return out;
    }

    /**
     * The interfaces of each network namespace, read once per look: installations on one namespace's hooks share one
     * rtnetlink dump. Metrics keep one for a scrape.
     */
    public static final class Targets {
        private final Map<Optional<String>, Optional<Set<String>>> interfaces = new HashMap<>();

        /** Reads nothing yet: each namespace is read when first asked about. */
        public Targets() {
        }

        /** The interface names of {@code netns}, empty when it cannot be entered. */
        Optional<Set<String>> interfaces(Optional<String> netns) {
            return interfaces.computeIfAbsent(netns, n -> {
                try {
                    java.util.concurrent.Callable<Set<String>> names = () -> {
                        Set<String> set = new HashSet<>();
                        InterfaceDump.read().forEach(d -> set.add(d.name()));
                        return set;
                    };
                    return Optional.of(n.isEmpty() ? names.call() : Netns.at(Netns.file(n.get())).run(names));
                } catch (Exception e) {
                    return Optional.empty();
                }
            });
        }
    }

    /** What is wrong with one installation now, one line each (empty when it runs as installed). */
    public static List<String> problems(InstallationSource.Watched w, Targets targets) {
        return check(w, targets).stream().map(Condition::message).toList();
    }

    /** What is gone: the target first (when it is, the links went with it and are not reported apart). */
    static List<Condition> check(InstallationSource.Watched w, Targets targets) {
        Installation i = w.installation();
        Optional<String> gone = targetGone(i.target(), targets);
        if (gone.isPresent()) {
            return List.of(new Condition(EventKind.TARGET_GONE, i.id(), "target:" + i.id(), i.id() + " ("
                    + i.pkg().name() + " " + i.pkg().version() + ") no longer runs: " + gone.get(),
                    Map.of("hook", i.target().describe())));
        }
        List<Condition> out = new ArrayList<>();
        List<ObjectStatus> objects = new ArrayList<>(w.status().objects());
        w.status().dispatcher().ifPresent(objects::add);
        List<String> missing = new ArrayList<>();
        boolean linkPinGone = false;
        for (ObjectStatus o : objects) {
            if (!Files.exists(o.pin())) {
                missing.add(o.pin().toString());
                linkPinGone |= o.kind() == Pin.Kind.LINK;
            } else if (o.kind() == Pin.Kind.LINK && !o.alive()) {
                out.add(new Condition(EventKind.LINK_DETACHED, i.id(), "detached:" + o.pin(), i.id() + " ("
                        + i.pkg().name() + " " + i.pkg().version() + ") no longer runs on " + i.target().describe()
                        + ": its link " + o.name() + " was detached by another tool (" + o.detail() + ")",
                        Map.of("pin", o.pin().toString(), "link", o.name(), "hook", i.target().describe())));
            }
        }
        if (!missing.isEmpty()) {
            String effect = linkPinGone
                    ? "no longer runs on " + i.target().describe() + " once the kernel frees the unpinned links"
                    : "still runs, but bpfstore can no longer upgrade or uninstall it cleanly";
            out.add(new Condition(EventKind.PINS_REMOVED, i.id(), "pins:" + i.id() + ":" + missing, i.id() + " ("
                    + i.pkg().name() + " " + i.pkg().version() + ") " + effect + ": another tool removed "
                    + missing.size() + " of its pins (" + String.join(", ", missing) + ")",
                    Map.of("pins", String.join(",", missing), "hook", i.target().describe())));
        }
        return out;
    }

    /** Why the hook target is gone, if it is. */
    public static Optional<String> targetGone(HookTarget target, Targets targets) {
        return switch (target) {
            case HookTarget.Xdp x -> interfaceGone(x.iface(), x.netns(), targets);
            case HookTarget.Tc t -> interfaceGone(t.iface(), t.netns(), targets);
            case HookTarget.Cgroup c -> Files.isDirectory(c.path()) ? Optional.empty()
                    : Optional.of("its cgroup " + c.path() + " was removed");
            case HookTarget.Tracing t -> Optional.empty();
        };
    }

    /** Whether {@code file} is still a namespace (a file on nsfs, as a mounted network namespace is). */
    private static boolean isNamespace(Path file) {
        try {
            return Files.getFileStore(file).type().equals("nsfs");
        } catch (IOException e) {
            return false; // gone, or unreadable: not a namespace one can enter
        }
    }

    private static Optional<String> interfaceGone(String iface, Optional<String> netns, Targets targets) {
        Optional<Path> nsFile = netns.map(Netns::file);
        if (nsFile.isPresent() && !Files.exists(nsFile.get())) {
            return Optional.of("its network namespace " + netns.get() + " was removed (" + nsFile.get() + ")");
        }
        Optional<Set<String>> names = targets.interfaces(netns);
        if (names.isEmpty()) {
            // `ip netns del` unmounts the namespace and then unlinks its file: caught in between, the name is an
            // ordinary empty file, no longer a namespace
            return Optional.of("its network namespace " + netns.orElse("")
                    + (nsFile.isPresent() && !isNamespace(nsFile.get()) ? " was removed (" + nsFile.get() + ")"
                    : " cannot be entered"));
        }
        return names.get().contains(iface) ? Optional.empty() : Optional.of("its interface " + iface
                + netns.map(n -> " (netns " + n + ")").orElse("") + " was removed");
    }
}
