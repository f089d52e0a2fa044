package io.bpfstore.install;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;

/**
 * The hooks on a network interface (XDP, tcx, legacy tc): one program per installation, of one program type, and
 * the interface (and its namespace) must exist.
 */
sealed interface InterfaceDriver extends HookDriver permits XdpDriver, TcxDriver, TcLegacyDriver {
    /** The program type this hook runs. */
    ProgramType programType();

    @Override
    default boolean accepts(Program program) {
        return program.type().filter(t -> t == programType()).isPresent();
    }

    @Override
    default boolean oneProgram() {
        return true;
    }

    @Override
    default void requireHook() {
        HookTarget.Place place = target().place();
        TargetSelection.requireInterface(place.iface().orElseThrow(), place.netns());
    }
}
