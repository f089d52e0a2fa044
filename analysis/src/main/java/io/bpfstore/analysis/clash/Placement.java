package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which network hook a package's program goes to. A package attaches one program per hook: the first of its
 * programs for that hook (the others are tail-call targets or alternatives).
 *
 * @param pkg     the package
 * @param program the program
 * @param hook    the hook
 */
record Placement(CheckedPackage pkg, Program program, Hook hook) {
    /**
     * The objects a finding about this placement meeting {@code occupant}, a program bpfstore did not install, on
     * the host's interface names: the package, its program, the interface (if known) and the foreign program.
     */
    List<Subject> against(HostView.HookOccupant occupant, HostView host) {
        List<Subject> subjects = new ArrayList<>(List.of(new Subject.PackageRef(pkg.name()),
                new Subject.ProgramRef(pkg.name(), program.name())));
        host.iface().ifPresent(i -> subjects.add(new Subject.InterfaceRef(i, host.netns())));
        subjects.add(new Subject.ForeignProgram(occupant.programId(), occupant.programName()));
        return subjects;
    }

    /** The hook of a program, if it is a network program that chains on a hook. */
    static Optional<Hook> hookOf(Program p) {
        Optional<ProgramType> type = p.type();
        if (type.isEmpty()) {
            return Optional.empty();
        }
        return switch (type.get()) {
            case XDP -> Optional.of(Hook.XDP);
            case SCHED_CLS, SCHED_ACT -> Optional.of(p.attachType().filter(a -> a == AttachType.TCX_EGRESS).isPresent()
                    || p.section().contains("egress") ? Hook.TC_EGRESS : Hook.TC_INGRESS); // "tc": ingress assumed
            default -> Optional.empty();
        };
    }
}
