package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

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

    /** What {@code check} finds for every pair of a chain (in priority order), the earlier placement first. */
    static List<Finding> eachPair(List<Placement> chain, BiFunction<Placement, Placement, Optional<Finding>> check) {
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            for (int j = i + 1; j < chain.size(); j++) {
                check.apply(chain.get(i), chain.get(j)).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The objects of a finding about this placement and a {@code later} one on the host's interface. */
    List<Subject> with(Placement later, HostView host) {
        List<Subject> subjects = new ArrayList<>(List.of(new Subject.PackageRef(pkg.name()),
                new Subject.ProgramRef(pkg.name(), program.name()), new Subject.PackageRef(later.pkg.name()),
                new Subject.ProgramRef(later.pkg.name(), later.program.name())));
        host.iface().ifPresent(n -> subjects.add(new Subject.InterfaceRef(n, host.netns())));
        return subjects;
    }

    /** The program and its package in words: "xdp_count (xdp_counter.o)". */
    String describe() {
        return program.name() + " (" + pkg.name() + ")";
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
