package io.bpfstore.analysis.clash;

import io.bpfstore.analysis.domain.Atom;
import io.bpfstore.analysis.domain.Atom.CtxTest;
import io.bpfstore.analysis.domain.Atom.FieldIn;
import io.bpfstore.analysis.domain.Atom.FieldTest;
import io.bpfstore.analysis.domain.Atom.ShortPacket;
import io.bpfstore.bytecode.asm.JumpCondition;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether two path conditions (of two programs on one hook, so over the same packet bytes) can hold for one packet.
 * Conditions over-approximate, so only a plain contradiction on one field makes them disjoint.
 */
final class TrafficOverlap {
    private TrafficOverlap() {
    }

    /** Whether some packet may satisfy both conditions. */
    static boolean compatible(List<Atom> a, List<Atom> b) {
        for (Atom x : a) {
            for (Atom y : b) {
                if (contradict(x, y) || contradict(y, x)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Both conditions, each fact once, {@code a}'s first. */
    static List<Atom> both(List<Atom> a, List<Atom> b) {
        List<Atom> out = new ArrayList<>(a);
        for (Atom y : b) {
            if (!out.contains(y)) {
                out.add(y);
            }
        }
        return out;
    }

    private static boolean contradict(Atom x, Atom y) {
        return switch (x) {
            case FieldTest t when y instanceof FieldTest u && sameField(t, u) -> !possible(t, u);
            case FieldIn in when y instanceof FieldTest u && in.offset() == u.offset() && in.size() == u.size()
                    && in.mask() == u.mask() && in.exactOffset() == u.exactOffset() ->
                    u.condition() == JumpCondition.EQ ? !in.values().contains(u.value())
                            : u.condition() == JumpCondition.NE && in.values().size() == 1
                            && in.values().contains(u.value());
            case FieldIn in when y instanceof FieldIn other && in.offset() == other.offset()
                    && in.size() == other.size() && in.mask() == other.mask()
                    && in.exactOffset() == other.exactOffset() ->
                    in.values().stream().noneMatch(other.values()::contains);
            case ShortPacket s when y instanceof FieldTest u -> u.offset() + u.size() > s.length();
            case ShortPacket s when y instanceof FieldIn u -> u.offset() + u.size() > s.length();
            case CtxTest c when y instanceof CtxTest d && c.offset() == d.offset() ->
                    c.condition() == JumpCondition.EQ && d.condition() == JumpCondition.EQ && c.value() != d.value()
                            || c.condition() == JumpCondition.EQ && d.condition() == JumpCondition.NE
                            && c.value() == d.value();
            default -> false;
        };
    }

    private static boolean sameField(FieldTest t, FieldTest u) {
        return t.offset() == u.offset() && t.size() == u.size() && t.mask() == u.mask()
                && t.exactOffset() == u.exactOffset();
    }

    /** Whether the field can pass both tests: decided when one of them pins the field to a value. */
    private static boolean possible(FieldTest t, FieldTest u) {
        if (t.condition() == JumpCondition.EQ) {
            return holds(u.condition(), t.value(), u.value());
        }
        if (u.condition() == JumpCondition.EQ) {
            return holds(t.condition(), u.value(), t.value());
        }
        return true;
    }

    /** Whether {@code field <condition> constant} holds for {@code field}; unknown comparisons hold. */
    private static boolean holds(JumpCondition condition, long field, long constant) {
        return switch (condition) {
            case EQ -> field == constant;
            case NE -> field != constant;
            case GT -> Long.compareUnsigned(field, constant) > 0;
            case GE -> Long.compareUnsigned(field, constant) >= 0;
            case LT -> Long.compareUnsigned(field, constant) < 0;
            case LE -> Long.compareUnsigned(field, constant) <= 0;
            case SET -> (field & constant) != 0;
            default -> true;
        };
    }
}
