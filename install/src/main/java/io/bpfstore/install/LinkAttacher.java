package io.bpfstore.install;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.AttachedPrograms;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.link.Anchor;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.link.CgroupAttach;
import io.bpfstore.kernel.link.CgroupFlags;
import io.bpfstore.kernel.link.CgroupOptions;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.RawTracepoint;
import io.bpfstore.kernel.link.Tcx;
import io.bpfstore.kernel.link.TcxOptions;
import io.bpfstore.kernel.link.Tracepoint;
import io.bpfstore.kernel.link.UnsupportedHookException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Attaches the programs of a non-XDP installation through links pinned at {@code <bpffs>/<id>/links/<program>}:
 * tcx links placed by priority next to the links already on the hook (including other tools' links), cgroup links
 * (which share their hook like BPF_F_ALLOW_MULTI), tracepoint and raw tracepoint links side by side.
 */
final class LinkAttacher {
    private LinkAttacher() {
    }

    /**
     * A bpfstore link already on a tcx hook.
     *
     * @param linkId   its kernel id
     * @param priority its installation's priority
     * @param id       its installation's id (breaks priority ties)
     */
    record Neighbour(int linkId, int priority, String id) {
    }

    /**
     * Attaches and pins {@code programs} of installation {@code inst}.
     *
     * @param neighbours for tc: bpfstore's links already on the same hook
     * @param beforeForeign for tc without bpfstore neighbours: go before other tools' links instead of after them
     * @return the link pins, to record
     */
    static List<Pin> attach(Installation inst, Map<String, BpfProgram> programs, List<Program> definitions,
                            InstallLayout layout, List<Neighbour> neighbours, boolean beforeForeign) {
        Path dir = PinFolders.create(layout.links(inst.id()));
        List<Pin> pins = new ArrayList<>();
        List<Neighbour> placed = new ArrayList<>(neighbours);
        for (Program def : definitions) {
            BpfProgram program = programs.get(def.name());
            Path pin = dir.resolve(PinFolders.fileName(def.name()));
            if (Files.exists(pin)) {
                continue; // attached before a crash; recovery keeps or drops it with the rest
            }
            try (BpfLink link = switch (inst.target()) {
                case HookTarget.Tc tc -> {
                    Anchor anchor = anchor(tc, inst, placed, beforeForeign);
                    yield Tcx.attach(program, TcxOptions.of(Interface.named(tc.iface()), tc.direction())
                            .inNetns(HookTarget.netnsOf(tc.netns())).at(anchor));
                }
                case HookTarget.Cgroup cg -> CgroupAttach.link(program, CgroupOptions.of(cg.path(),
                        def.attachType().orElseThrow(() -> new InstallException("program " + def.name()
                                + " does not say which cgroup hook it is for (section " + def.section() + ")")),
                        CgroupFlags.ALLOW_MULTI));
                case HookTarget.Tracing t -> tracing(program, def);
                case HookTarget.Xdp x -> throw new IllegalStateException("XDP attaches through its dispatcher");
            }) {
                link.pin(pin);
                pins.add(new Pin(Pin.Kind.LINK, def.name(), 0, pin, link.id()));
                placed.add(new Neighbour(link.id(), inst.priority(), inst.id()));
            } catch (UnsupportedHookException e) {
                throw new InstallException(e.getMessage(), e);
            }
        }
        return pins;
    }

    /**
     * Where a new tcx link goes: before the first bpfstore link of a later installation (higher priority number, or
     * the same and a later id), else after the last bpfstore link, else first or last among other tools' links.
     */
    static Anchor anchor(HookTarget.Tc tc, Installation inst, List<Neighbour> neighbours, boolean beforeForeign) {
        AttachedPrograms hook = Tcx.query(Interface.named(tc.iface()), HookTarget.netnsOf(tc.netns()), tc.direction());
        List<Integer> order = hook.linkIds();
        Neighbour lastEarlier = null;
        for (int linkId : order) {
            Neighbour n = neighbours.stream().filter(x -> x.linkId() == linkId).findFirst().orElse(null);
            if (n == null) {
                continue;
            }
            boolean later = n.priority() > inst.priority()
                    || (n.priority() == inst.priority() && n.id().compareTo(inst.id()) > 0);
            if (later) {
                return Anchor.beforeLinkId(linkId);
            }
            lastEarlier = n;
        }
        if (lastEarlier != null) {
            return Anchor.afterLinkId(lastEarlier.linkId());
        }
        return beforeForeign ? Anchor.first() : Anchor.last();
    }

    /** A tracepoint ({@code tracepoint/CATEGORY/NAME}) or raw tracepoint ({@code raw_tp/NAME}) link. */
    private static BpfLink tracing(BpfProgram program, Program def) {
        String section = def.section();
        String[] parts = section.split("/");
        ProgramType type = def.type().orElseThrow();
        if (type == ProgramType.TRACEPOINT && parts.length == 3) {
            return Tracepoint.attach(program, parts[1], parts[2]);
        }
        if ((type == ProgramType.RAW_TRACEPOINT || type == ProgramType.RAW_TRACEPOINT_WRITABLE) && parts.length == 2) {
            return RawTracepoint.attach(program, parts[1]);
        }
        throw new InstallException("program " + def.name() + " (section " + section + ") does not name the tracepoint "
                + "it attaches to");
    }

    /** Whether {@code type} is one of the cgroup program types. */
    static boolean isCgroup(ProgramType type) {
        return switch (type) {
            case CGROUP_SKB, CGROUP_SOCK, CGROUP_SOCK_ADDR, SOCK_OPS, CGROUP_DEVICE, CGROUP_SYSCTL, CGROUP_SOCKOPT -> true;
            default -> false;
        };
    }

    /** Whether {@code type} is a tracing type bpfstore install attaches (tracepoint, raw tracepoint). */
    static boolean isTracing(ProgramType type) {
        return type == ProgramType.TRACEPOINT || type == ProgramType.RAW_TRACEPOINT
                || type == ProgramType.RAW_TRACEPOINT_WRITABLE;
    }
}
