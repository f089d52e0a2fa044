package io.bpfstore.install;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.store.manifest.Hook;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * tc through legacy bpf filters on the clsact qdisc (kernels without tcx, or {@code --tc-mode legacy}). A filter has
 * no fd and no pin: {@link LegacyFilters} records each before adding it and changes it only while it runs the
 * installation's program; tc's priority bands order the installations.
 *
 * @param target the interface and direction
 */
record TcLegacyDriver(HookTarget.Tc target) implements InterfaceDriver {
    @Override
    public ProgramType programType() {
        return ProgramType.SCHED_CLS;
    }

    @Override
    public List<String> options(InstallPlan plan, Optional<Hook> hint) {
        List<String> proceedOn = InterfaceDriver.super.options(plan, hint);
        if (plan.beforeForeign()) {
            throw new InstallException("--before-foreign applies to tcx links; legacy tc filters run in tc priority "
                    + "order (installation priority p takes tc priorities " + LegacyFilters.BAND + "*p and up)");
        }
        return proceedOn;
    }

    @Override
    public List<String> attach(Installer in, Installation inst, Map<String, BpfProgram> loaded, List<Program> programs,
                               boolean beforeForeign) {
        LegacyFilters.attach(in.db(), inst, target, loaded, programs);
        return List.of(inst.id());
    }

    @Override
    public List<String> point(Installer in, Installation inst) {
        LegacyFilters.align(in.db(), inst.id(), inst.generation());
        return List.of(inst.id());
    }

    @Override
    public void detach(Installer in, Installation inst) {
        LegacyFilters.detach(in.db(), inst.id());
    }
}
