package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
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
