package io.bpfstore.bytecode.object;

import io.bpfstore.bytecode.asm.CallHelper;
import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.bytecode.sections.SectionDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * An entry program of an object: the function the kernel runs at a hook, with the subprograms it calls.
 *
 * @param code        the entry function
 * @param definition  libbpf's definition matching the section name; empty when libbpf would not know the
 *                    section (the program's type must then be given when loading)
 * @param subprograms the functions it calls or takes the address of, directly or indirectly, in first-use order
 */
public record Program(Function code, Optional<SectionDefinition> definition, List<Function> subprograms) {
    /** Copies the list. */
    public Program {
        subprograms = List.copyOf(subprograms);
    }

    /**
     * This program with the type {@code type} given instead of the one its section names (or does not name), as
     * {@link io.bpfstore.bytecode.sections.SectionNames#given} defines it.
     */
    public Program withType(ProgramType type) {
        return new Program(code, Optional.of(io.bpfstore.bytecode.sections.SectionNames.given(code.section(), type)),
                subprograms);
    }

    /** The program's name (its function symbol, or for old objects without one, its section's). */
    public String name() {
        return code.name();
    }

    /** The ELF section it sits in, which names its type and hook by libbpf's conventions. */
    public String section() {
        return code.section();
    }

    /** The program type from the section name. */
    public Optional<ProgramType> type() {
        return definition.map(SectionDefinition::programType);
    }

    /** The expected attach type from the section name, where the type has one. */
    public Optional<AttachType> attachType() {
        return definition.flatMap(SectionDefinition::expectedAttachType);
    }

    /** What the section name says to attach to (a kernel function, a tracepoint ...), if anything. */
    public Optional<String> attachTarget() {
        return definition.flatMap(d -> d.suffix(code.section())).filter(s -> !s.isEmpty());
    }

    /** The entry function and its subprograms, the entry first. */
    public List<Function> functions() {
        List<Function> all = new ArrayList<>(subprograms.size() + 1);
        all.add(code);
        all.addAll(subprograms);
        return all;
    }

    /** Instruction slots of the entry function alone. */
    public int slots() {
        return code.slots();
    }

    /** Instruction slots once the subprograms are appended, as the kernel receives it. */
    public int totalSlots() {
        return functions().stream().mapToInt(Function::slots).sum();
    }

    /** Helper function ids called by the program or any of its subprograms, ascending. */
    public List<Integer> helperIds() {
        TreeSet<Integer> ids = new TreeSet<>();
        for (Function f : functions()) {
            for (InstructionAt at : f.instructions()) {
                if (at.instruction() instanceof CallHelper call) {
                    ids.add(call.helper());
                }
            }
        }
        return List.copyOf(ids);
    }

    /** Names of kernel functions (kfuncs) called by the program or its subprograms, in first-use order. */
    public List<String> kfuncs() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (Function f : functions()) {
            for (Relocation r : f.relocations()) {
                // clang 19 marks kfunc calls with src_reg 2; clang 14 emits a pseudo call (src_reg 1) to an extern.
                if (r.kind() == Relocation.Kind.EXTERN && f.instructions().stream()
                        .anyMatch(at -> at.slot() == r.instruction()
                                && (at.instruction() instanceof io.bpfstore.bytecode.asm.CallKfunc
                                || at.instruction() instanceof io.bpfstore.bytecode.asm.CallLocal))) {
                    names.add(r.symbol());
                }
            }
        }
        return List.copyOf(names);
    }
}
