package io.bpfstore.bytecode.object;

import io.bpfstore.bytecode.sections.ProgramType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Program types given by the user for an object whose sections do not name them (iproute2's {@code prog} section,
 * a custom name): {@code load --type TYPE} for every such program, {@code --type PROGRAM=TYPE} for one (which may
 * also override the type a section names), or a manifest's per-program {@code type}.
 *
 * @param fallback  the type of every program whose section names none
 * @param byProgram types by program name; these win over the section and over {@code fallback}
 */
public record ProgramTypes(Optional<ProgramType> fallback, Map<String, ProgramType> byProgram) {
    /** None given: sections decide. */
    public static final ProgramTypes NONE = new ProgramTypes(Optional.empty(), Map.of());

    /** Copies the map. */
    public ProgramTypes {
        Objects.requireNonNull(fallback, "fallback");
        byProgram = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byProgram));
    }

    /**
     * Parses {@code --type} arguments: {@code TYPE} or {@code PROGRAM=TYPE}, types as bpftool names them
     * ({@code xdp}, {@code sched_cls}, {@code sched_act}, {@code socket_filter}...).
     *
     * @throws IllegalArgumentException naming the argument that is not a known type, or a second fallback
     */
    public static ProgramTypes parse(List<String> arguments) {
        Optional<ProgramType> fallback = Optional.empty();
        Map<String, ProgramType> byProgram = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            ProgramType type = type(eq < 0 ? argument : argument.substring(eq + 1), argument);
            if (eq < 0) {
                if (fallback.isPresent()) {
                    throw new IllegalArgumentException("--type " + argument + ": a type for every program was already"
                            + " given (" + fallback.get().bpftoolName() + "); name one program with PROGRAM=TYPE");
                }
                fallback = Optional.of(type);
            } else if (byProgram.put(argument.substring(0, eq), type) != null) {
                throw new IllegalArgumentException("--type " + argument + ": program " + argument.substring(0, eq)
                        + " was given a type twice");
            }
        }
        return new ProgramTypes(fallback, byProgram);
    }

    private static ProgramType type(String name, String argument) {
        try {
            return named(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--type " + argument + ": " + e.getMessage(), e);
        }
    }

    /**
     * The program type bpftool calls {@code name} ({@code xdp}, {@code sched_cls}...): the one vocabulary of
     * {@code load --type} and of a manifest's per-program {@code type}.
     *
     * @throws IllegalArgumentException "unknown program type NAME (...)" for a name that is no program type
     */
    public static ProgramType named(String name) {
        return ProgramType.fromBpftoolName(name).filter(t -> t != ProgramType.UNSPEC).orElseThrow(() ->
                new IllegalArgumentException("unknown program type " + name
                        + " (bpftool's names: xdp, sched_cls, sched_act, socket_filter, kprobe, tracepoint, ...)"));
    }

    /** The programs named in {@link #byProgram} that {@code object} does not have, in the order given. */
    public java.util.List<String> missingFrom(BpfObject object) {
        return byProgram.keySet().stream().filter(name -> object.program(name).isEmpty()).toList();
    }

    /** {@code object} with these types applied. */
    public BpfObject applyTo(BpfObject object) {
        for (String name : missingFrom(object)) {
            throw new IllegalArgumentException("--type " + name + "=" + byProgram.get(name).bpftoolName()
                    + ": object " + object.name() + " has no program " + name + " (it has "
                    + object.programs().stream().map(Program::name).toList() + ")");
        }
        return object.withPrograms(object.programs().stream().map(p -> {
            ProgramType given = byProgram.get(p.name());
            if (given != null) {
                return p.withType(given);
            }
            return p.definition().isEmpty() && fallback.isPresent() ? p.withType(fallback.get()) : p;
        }).toList());
    }
}
