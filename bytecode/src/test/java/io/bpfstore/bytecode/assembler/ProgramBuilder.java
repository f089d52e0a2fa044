package io.bpfstore.bytecode.assembler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Collects statements (instructions, or PREVAIL's pseudo-instructions) and labels in source order and resolves
 * label references once all labels are known. Labels name slots, not statement indexes: a 64-bit immediate load
 * counts twice, as in the encoding.
 *
 * @param <T> the statement type
 */
final class ProgramBuilder<T> {
    /** Where a branch or local call goes: a label, or a distance in slots from the next instruction. */
    record Target(String label, long offset, int line, int column) {
        /** A relative target such as {@code +3}. */
        static Target relative(long offset, int line, int column) {
            return new Target(null, offset, line, column);
        }

        /** A target by label name. */
        static Target label(String name, int line, int column) {
            return new Target(name, 0, line, column);
        }
    }

    /** How wide the field is that carries a branch's distance. */
    enum Reach {
        /** The signed 16-bit offset field (jumps). */
        OFFSET16,
        /** The signed 32-bit immediate (gotol, local calls). */
        IMM32
    }

    private record Pending<T>(T ready, Target target, Reach reach, IntFunction<T> make) {
    }

    private final String source;
    private final ToIntFunction<T> slotsOf;
    private final List<Pending<T>> pending = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();
    private final Map<String, Integer> weakLabels = new HashMap<>();
    private int slot;

    /**
     * @param source  name of the source, for errors
     * @param slotsOf how many slots a statement takes
     */
    ProgramBuilder(String source, ToIntFunction<T> slotsOf) {
        this.source = source;
        this.slotsOf = slotsOf;
    }

    /** The slot the next instruction goes to. */
    int slot() {
        return slot;
    }

    /** Defines {@code name} at the next instruction; a second definition is an error. */
    void label(String name, int line, int column) {
        if (labels.putIfAbsent(name, slot) != null) {
            throw new AssemblyException(source, line, column,
                    "duplicate label '" + name + "' (first defined at slot " + labels.get(name) + ")");
        }
    }

    /**
     * Defines {@code name} at the next instruction unless it is already defined or defined later: a default
     * (bpf_conformance's implicit {@code exit} label) that explicit labels override.
     */
    void weakLabel(String name) {
        weakLabels.putIfAbsent(name, slot);
    }

    /** Appends a statement. */
    void add(T statement) {
        pending.add(new Pending<>(statement, null, null, null));
        slot += slotsOf.applyAsInt(statement);
    }

    /** Appends a one-slot statement whose distance field {@code make} fills in once {@code target} is known. */
    void add(Target target, Reach reach, IntFunction<T> make) {
        pending.add(new Pending<>(null, target, reach, make));
        slot += 1;
    }

    /** The program with every label resolved. */
    List<T> build() {
        List<T> out = new ArrayList<>(pending.size());
        int at = 0;
        for (Pending<T> p : pending) {
            T statement = p.ready() != null ? p.ready() : p.make().apply(distance(p, at));
            out.add(statement);
            at += slotsOf.applyAsInt(statement);
        }
        return List.copyOf(out);
    }

    private int distance(Pending<T> p, int at) {
        Target t = p.target();
        long offset;
        String what;
        if (t.label() == null) {
            offset = t.offset();
            what = "offset " + offset;
        } else {
            Integer to = labels.containsKey(t.label()) ? labels.get(t.label()) : weakLabels.get(t.label());
            if (to == null) {
                throw new AssemblyException(source, t.line(), t.column(), "undefined label '" + t.label() + "'");
            }
            offset = (long) to - at - 1;
            what = "label '" + t.label() + "' is " + offset + " slots away, which";
        }
        long min = p.reach() == Reach.OFFSET16 ? Short.MIN_VALUE : Integer.MIN_VALUE;
        long max = p.reach() == Reach.OFFSET16 ? Short.MAX_VALUE : Integer.MAX_VALUE;
        if (offset < min || offset > max) {
            throw new AssemblyException(source, t.line(), t.column(), "jump out of range: " + what
                    + " does not fit the " + (p.reach() == Reach.OFFSET16 ? "16-bit offset" : "32-bit immediate")
                    + " field (" + min + " to " + max + ")");
        }
        long target = at + 1 + offset;
        if (target < 0 || target > slot) {
            throw new AssemblyException(source, t.line(), t.column(), "jump out of range: " + what
                    + " leads to slot " + target + ", outside the program (0 to " + slot + ")");
        }
        return (int) offset;
    }
}
