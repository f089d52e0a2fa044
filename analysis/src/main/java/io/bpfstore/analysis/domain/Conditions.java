package io.bpfstore.analysis.domain;

import io.bpfstore.bytecode.asm.JumpCondition;

/** Facts about jump conditions: negation, operand swap, and evaluation on known numbers. */
final class Conditions {
    private Conditions() {
    }

    /** The condition that holds exactly when {@code c} does not (SET has none: returns null). */
    static JumpCondition negate(JumpCondition c) {
        return switch (c) {
            case EQ -> JumpCondition.NE;
            case NE -> JumpCondition.EQ;
            case GT -> JumpCondition.LE;
            case LE -> JumpCondition.GT;
            case GE -> JumpCondition.LT;
            case LT -> JumpCondition.GE;
            case SGT -> JumpCondition.SLE;
            case SLE -> JumpCondition.SGT;
            case SGE -> JumpCondition.SLT;
            case SLT -> JumpCondition.SGE;
            case SET -> null;
        };
    }

    /** The condition with operands swapped: {@code a c b} iff {@code b swap(c) a}. */
    static JumpCondition swap(JumpCondition c) {
        return switch (c) {
            case EQ, NE, SET -> c;
            case GT -> JumpCondition.LT;
            case LT -> JumpCondition.GT;
            case GE -> JumpCondition.LE;
            case LE -> JumpCondition.GE;
            case SGT -> JumpCondition.SLT;
            case SLT -> JumpCondition.SGT;
            case SGE -> JumpCondition.SLE;
            case SLE -> JumpCondition.SGE;
        };
    }

    /** Whether {@code c} compares unsigned. */
    static boolean unsigned(JumpCondition c) {
        return c == JumpCondition.GT || c == JumpCondition.GE || c == JumpCondition.LT || c == JumpCondition.LE;
    }

    /**
     * The values of {@code a} for which {@code a c k} can hold, within {@code a}; null when none. Unsigned
     * conditions are only refined when both sides are non-negative (signed order agrees); otherwise {@code a}.
     */
    static Interval refine(Interval a, JumpCondition c, long k) {
        if (unsigned(c) && (!a.nonNegative() || k < 0)) {
            return a;
        }
        return switch (c) {
            case EQ -> a.meet(Interval.of(k));
            case NE -> {
                if (a.isConstant() && a.lo() == k) {
                    yield null;
                }
                if (a.lo() == k) {
                    yield new Interval(k + 1, a.hi());
                }
                if (a.hi() == k) {
                    yield new Interval(a.lo(), k - 1);
                }
                yield a;
            }
            case GT, SGT -> k == Long.MAX_VALUE ? null : a.meet(new Interval(k + 1, Long.MAX_VALUE));
            case GE, SGE -> a.meet(new Interval(k, Long.MAX_VALUE));
            case LT, SLT -> k == Long.MIN_VALUE ? null : a.meet(new Interval(Long.MIN_VALUE, k - 1));
            case LE, SLE -> a.meet(new Interval(Long.MIN_VALUE, k));
            case SET -> a.isConstant() && (a.lo() & k) == 0 ? null : a;
        };
    }
}
