package io.bpfstore.install;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.link.UnsupportedHookException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hooks whose installations each own their links, pinned at {@code <bpffs>/<id>/links/<program>} and kept
 * across upgrades (a link is updated to the new generation's program, never replaced): tcx, cgroup and tracing.
 * The kernel chains several links on such a hook by itself; each driver only says how one link is made.
 */
sealed interface LinkDriver extends HookDriver permits TcxDriver, CgroupDriver, TracingDriver {

    /**
     * A bpfstore link already on the hook.
     *
     * @param linkId   its kernel id
     * @param priority its installation's priority
     * @param id       its installation's id (breaks priority ties)
     */
    record Neighbour(int linkId, int priority, String id) {
    }

    /**
     * Makes (not pins) the link of {@code program} for installation {@code inst}.
     *
     * @param placed        bpfstore's links already on the hook, this installation's earlier ones included
     * @param beforeForeign tcx: go before other tools' links
     */
    BpfLink link(Installation inst, BpfProgram program, Program definition, List<Neighbour> placed,
                    boolean beforeForeign);

    @Override
    default List<String> attach(Installer in, Installation inst, Map<String, BpfProgram> loaded, List<Program> programs,
                                boolean beforeForeign) {
        List<Neighbour> placed = new ArrayList<>();
        for (Installation other : in.sameHook(inst)) {
            for (Pin p : in.db().pins().of(other.id())) {
                if (p.kind() == Pin.Kind.LINK) {
                    placed.add(new Neighbour(p.kernelId(), other.priority(), other.id()));
                }
            }
        }
        Path dir = PinFolders.create(in.layout().links(inst.id()));
        for (Program def : programs) {
            Path pin = dir.resolve(PinFolders.fileName(def.name()));
            if (Files.exists(pin)) {
                continue; // attached before a crash; recovery keeps or drops it with the rest
            }
            try (BpfLink link = link(inst, loaded.get(def.name()), def, placed, beforeForeign)) {
                link.pin(pin);
                in.db().pins().add(inst.id(), new Pin(Pin.Kind.LINK, def.name(), 0, pin, link.id()));
                placed.add(new Neighbour(link.id(), inst.priority(), inst.id()));
            } catch (UnsupportedHookException e) {
                throw new InstallException(e.getMessage(), e);
            }
        }
        return List.of(inst.id());
    }

    /** Updates every link of {@code inst} whose program is not the one of its generation (one update per link). */
    @Override
    default List<String> point(Installer in, Installation inst) {
        List<Pin> pins = in.db().pins().of(inst.id());
        for (Pin link : pins) {
            if (link.kind() != Pin.Kind.LINK || !Files.exists(link.path())) {
                continue;
            }
            Pin program = pins.stream().filter(p -> p.kind() == Pin.Kind.PROGRAM && p.generation() == inst.generation()
                    && p.name().equals(link.name())).findFirst().orElseThrow(() -> new InstallException(
                    "generation " + inst.generation() + " of " + inst.id() + " has no program " + link.name()));
            try (BpfLink l = BpfLink.openPinned(link.path());
                 BpfProgram wanted = BpfProgram.openPinned(program.path())) {
                int now = l.info().programId();
                if (now != wanted.id()) {
                    try (BpfProgram running = BpfProgram.fromId(now)) {
                        l.update(running, wanted);
                    }
                }
            }
        }
        return List.of(inst.id());
    }

    /** Removes the link pins: a link detaches when its last pin goes and no process holds it. */
    @Override
    default void detach(Installer in, Installation inst) {
        PinFolders.remove(in.layout().links(inst.id()));
    }
}
