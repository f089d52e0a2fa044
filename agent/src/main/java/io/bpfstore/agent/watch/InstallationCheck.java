package io.bpfstore.agent.watch;

import io.bpfstore.agent.event.EventKind;
import io.bpfstore.install.HookTarget;
import io.bpfstore.install.Installation;
import io.bpfstore.install.InstallationStatus;
import io.bpfstore.install.InstallationStatus.ObjectStatus;
import io.bpfstore.install.Pin;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.NetworkNamespace;
import io.bpfstore.kernel.link.KernelLink;
import io.bpfstore.kernel.netlink.InterfaceDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The conditions of one installation that need no clash check: its hook target gone (network namespace,
 * interface, cgroup), its links detached, its pins removed. Reads the kernel through install's status. Metrics
 * call {@link #problems} for {@code bpfstore_installation_healthy}.
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
            try (KernelLink link = KernelLink.openPinned(d.pin())) {
                ids.add(link.info().programId());
            } catch (BpfException e) {
                // detached or unpinned since the status was read: the next look reports it
            }
        });
        return ids;
    }

    /** What is wrong with the installation now, one line each; empty when it runs as installed. */
    public static List<String> problems(InstallationSource.Watched w) {
        return check(w).stream().map(Condition::message).toList();
    }

    /** What is gone: the target first (when it is, the links went with it and are not reported apart). */
    static List<Condition> check(InstallationSource.Watched w) {
        Installation i = w.installation();
        Optional<String> gone = targetGone(i.target());
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
    static Optional<String> targetGone(HookTarget target) {
        return switch (target) {
            case HookTarget.Xdp x -> interfaceGone(x.iface(), x.netns());
            case HookTarget.Tc t -> interfaceGone(t.iface(), t.netns());
            case HookTarget.Cgroup c -> Files.isDirectory(c.path()) ? Optional.empty()
                    : Optional.of("its cgroup " + c.path() + " was removed");
            case HookTarget.Tracing t -> Optional.empty();
        };
    }

    private static Optional<String> interfaceGone(String iface, Optional<String> netns) {
        Optional<Path> nsFile = netns.map(InstallationCheck::namespaceFile);
        if (nsFile.isPresent() && !Files.exists(nsFile.get())) {
            return Optional.of("its network namespace " + netns.get() + " was removed (" + nsFile.get() + ")");
        }
        boolean present;
        try {
            present = nsFile.isEmpty() ? has(iface) : NetworkNamespace.run(nsFile.get(), () -> has(iface));
        } catch (RuntimeException e) {
            return Optional.of("its network namespace " + netns.orElse("") + " cannot be entered: " + e.getMessage());
        }
        return present ? Optional.empty() : Optional.of("its interface " + iface
                + netns.map(n -> " (netns " + n + ")").orElse("") + " was removed");
    }

    private static boolean has(String iface) {
        return InterfaceDump.read().stream().anyMatch(d -> d.name().equals(iface));
    }

    /** A namespace name under /run/netns, or a path such as /proc/PID/ns/net. */
    static Path namespaceFile(String ns) {
        return ns.contains("/") ? Path.of(ns) : Path.of("/run/netns", ns);
    }
}
