package io.bpfstore.install;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.LinkInfo;
import io.bpfstore.kernel.LinkTarget;
import io.bpfstore.kernel.MapInfo;
import io.bpfstore.kernel.ProgramInfo;
import io.bpfstore.kernel.dispatch.MemberRuns;
import io.bpfstore.kernel.link.BpfLink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the kernel says about an installation's objects now: each pin with the live object's id, name and, for
 * programs, run statistics (counted while {@code sysctl kernel.bpf_stats_enabled=1}); for XDP, the hook's composed
 * program.
 *
 * @param installation the installation
 * @param objects      its pinned objects
 * @param dispatcher   for XDP: the link and composed program running on the interface
 */
public record InstallationStatus(Installation installation, List<ObjectStatus> objects, Optional<ObjectStatus> dispatcher) {
    /** Copies. */
    public InstallationStatus {
        objects = List.copyOf(objects);
    }

    /**
     * One pinned object.
     *
     * @param kind         map, program or link
     * @param name         its name in the package (the dispatcher: its hook key)
     * @param pin          where it is pinned
     * @param alive        whether the pin opens and (for links) the link is still attached
     * @param id           its kernel id (0 when not alive)
     * @param detail       what the kernel says: type and sizes, attached program, target
     * @param runCount     programs and links: runs of the (attached) program
     * @param runTimeNanos programs and links: accumulated run time
     */
    public record ObjectStatus(Pin.Kind kind, String name, Path pin, boolean alive, int id, String detail, long runCount,
                               long runTimeNanos) {
    }

    /**
     * Reads the status of {@code installation} whose pins are {@code pins}. On a composed XDP hook the pinned entry
     * program never runs itself (its code runs inside the dispatcher), so its run count is the one the dispatcher
     * keeps for the member ({@link InstallLayout#memberRuns}); its run time is not measured (0).
     */
    public static InstallationStatus read(Installation installation, List<Pin> pins, InstallLayout layout) {
        List<ObjectStatus> objects = new ArrayList<>();
        for (Pin p : pins) {
            if (p.generation() == 0 || p.generation() == installation.generation()) {
                ObjectStatus o = of(p.kind(), p.name(), p.path());
                if (installation.target() instanceof HookTarget.Xdp x && o.kind() == Pin.Kind.PROGRAM && o.alive()
                        && o.name().equals(installation.programs().getFirst())) {
                    o = new ObjectStatus(o.kind(), o.name(), o.pin(), true, o.id(), o.detail(),
                            memberRuns(layout.memberRuns(x.dispatcherKey(), installation.id())), 0);
                }
                objects.add(o);
            }
        }
        return new InstallationStatus(installation, objects, shared(installation, layout));
    }

    /** The runs counted at {@code pin} (0 when there is no counter: installed before counting, or being set up). */
    private static long memberRuns(Path pin) {
        if (!Files.exists(pin)) {
            return 0;
        }
        try (BpfMap counter = BpfMap.openPinned(pin)) {
            return MemberRuns.read(counter);
        } catch (BpfException e) {
            return 0;
        }
    }

    /** The status of the link the installations on {@code installation}'s hook share (XDP: the dispatcher's). */
    static Optional<ObjectStatus> shared(Installation installation, InstallLayout layout) {
        return HookDriver.of(installation.target()).sharedLink(layout)
                .map(pin -> of(Pin.Kind.LINK, pin.getParent().getFileName().toString(), pin));
    }

    /** The status of the object pinned at {@code path}. */
    static ObjectStatus of(Pin.Kind kind, String name, Path path) {
        if (!Files.exists(path)) {
            return new ObjectStatus(kind, name, path, false, 0, "pin missing", 0, 0);
        }
        try {
            return switch (kind) {
                case MAP -> {
                    try (BpfMap m = BpfMap.openPinned(path)) {
                        MapInfo i = m.info();
                        yield new ObjectStatus(kind, name, path, true, i.id(), i.typeName() + " key " + i.keySize()
                                + " value " + i.valueSize() + " max_entries " + i.maxEntries(), 0, 0);
                    }
                }
                case PROGRAM -> {
                    try (BpfProgram p = BpfProgram.openPinned(path)) {
                        ProgramInfo i = p.info();
                        yield new ObjectStatus(kind, name, path, true, i.id(), i.typeName() + " \"" + i.name()
                                + "\" tag " + i.tag(), i.runCount(), i.runTimeNanos());
                    }
                }
                case LINK -> {
                    try (BpfLink l = BpfLink.openPinned(path)) {
                        LinkInfo i = l.info();
                        boolean attached = attached(i);
                        long runs = 0;
                        long time = 0;
                        String program = "program " + i.programId();
                        if (i.programId() != 0) {
                            try (BpfProgram p = BpfProgram.fromId(i.programId())) {
                                ProgramInfo pi = p.info();
                                runs = pi.runCount();
                                time = pi.runTimeNanos();
                                program += " \"" + pi.name() + "\"";
                            }
                        }
                        yield new ObjectStatus(kind, name, path, attached, i.id(), i.typeName() + " " + program + " "
                                + target(i.target()) + (attached ? "" : " (detached)"), runs, time);
                    }
                }
            };
        } catch (BpfException e) {
            return new ObjectStatus(kind, name, path, false, 0, e.summary(), 0, 0);
        }
    }

    /** Whether a link still holds its hook: network links lose their interface when it goes away (ifindex 0). */
    static boolean attached(LinkInfo i) {
        return switch (i.target()) {
            case LinkTarget.Xdp x -> x.ifindex() != 0;
            case LinkTarget.Tcx t -> t.ifindex() != 0;
            case LinkTarget.Cgroup c -> c.cgroupId() != 0;
            default -> i.programId() != 0;
        };
    }

    private static String target(LinkTarget t) {
        return switch (t) {
            case LinkTarget.Xdp x -> "ifindex " + x.ifindex();
            case LinkTarget.Tcx x -> "ifindex " + x.ifindex();
            case LinkTarget.Cgroup c -> "cgroup id " + c.cgroupId();
            case LinkTarget.RawTracepoint r -> "raw_tp " + r.tracepoint();
            default -> "";
        };
    }
}
