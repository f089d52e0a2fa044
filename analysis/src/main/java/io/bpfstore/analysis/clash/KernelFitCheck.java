package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.asm.CallKfunc;
import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.helpers.Helper;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import io.bpfstore.bytecode.object.Function;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.object.Relocation;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Whether each package fits the host kernel: program and map types, helpers per program type, kfuncs. */
final class KernelFitCheck {
    private static final HelperCatalog HELPERS = HelperCatalog.bundled();

    private KernelFitCheck() {
    }

    /** One error per program or map the kernel cannot take, naming everything it lacks. */
    static List<Finding> check(List<CheckedPackage> packages, HostView.KernelSupport kernel) {
        List<Finding> out = new ArrayList<>();
        for (CheckedPackage pkg : packages) {
            for (Program p : pkg.object().programs()) {
                Optional<ProgramType> type = p.type();
                if (type.isEmpty()) {
                    continue; // no known type: the loader reports it, not a clash
                }
                List<String> lacks = new ArrayList<>();
                if (!kernel.programTypes().contains(type.get())) {
                    lacks.add("program type " + type.get().bpftoolName());
                } else {
                    Set<Integer> allowed = kernel.helpers().getOrDefault(type.get(), Set.of());
                    for (int id : new LinkedHashSet<>(p.helperIds())) {
                        if (!allowed.contains(id) && !kernel.skippedHelpers().contains(id)) {
                            lacks.add("helper " + HELPERS.byId(id).map(Helper::name).orElse("#" + id)
                                    + " for " + type.get().bpftoolName() + " programs");
                        }
                    }
                }
                for (String k : kfuncs(p)) {
                    if (!kernel.kfuncs().test(k)) {
                        lacks.add("kfunc " + k);
                    }
                }
                if (!lacks.isEmpty()) {
                    out.add(new Finding(FindingClass.KERNEL_FIT, Severity.ERROR,
                            List.of(new Subject.PackageRef(pkg.name()), new Subject.ProgramRef(pkg.name(), p.name())),
                            "program " + p.name() + " of " + pkg.name() + " needs " + String.join(", ", lacks)
                                    + ", which this kernel (" + kernel.release() + ") does not offer",
                            "install on a kernel that has " + (lacks.size() == 1 ? "it" : "them")
                                    + ", or use a version of the package built for this kernel"));
                }
            }
            for (MapDefinition m : pkg.object().maps()) {
                Optional<MapType> type = MapType.fromNumber(m.type());
                if (type.isPresent() && !kernel.mapTypes().contains(type.get())) {
                    out.add(new Finding(FindingClass.KERNEL_FIT, Severity.ERROR,
                            List.of(new Subject.PackageRef(pkg.name()), new Subject.MapRef(pkg.name(), m.name())),
                            "map " + m.name() + " of " + pkg.name() + " is a " + type.get().bpftoolName()
                                    + " map, a type this kernel (" + kernel.release() + ") does not offer",
                            "install on a kernel with " + type.get().kernelName() + " maps"));
                }
            }
        }
        return out;
    }

    /**
     * The kfuncs a program calls: calls relocated against an extern symbol. clang 14 emits such calls with
     * {@code src_reg} 1 (as for a subprogram) and clang 18+ with 2, so the relocation, not the instruction's
     * decoded kind, is what says "kfunc".
     */
    static Set<String> kfuncs(Program p) {
        Set<String> names = new LinkedHashSet<>(p.kfuncs());
        for (Function f : p.functions()) {
            for (Relocation r : f.relocations()) {
                if (r.kind() == Relocation.Kind.EXTERN && f.instructions().stream().anyMatch(at ->
                        at.slot() == r.instruction() && (at.instruction() instanceof CallKfunc
                                || at.instruction() instanceof CallLocal))) {
                    names.add(r.symbol());
                }
            }
        }
        return names;
    }
}
