package io.bpfstore.analysis.domain;

/**
 * A signed 64-bit interval {@code [lo, hi]}; {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} stand for
 * unbounded ends. Arithmetic that might overflow gives {@link #TOP}: sound, never wrapped.
 *
 * @param lo least value
 * @param hi greatest value
 */
public record Interval(long lo, long hi) {
    /** Every 64-bit value. */
    public static final Interval TOP = new Interval(Long.MIN_VALUE, Long.MAX_VALUE);

    /** Checks order. */
    public Interval {
        if (lo > hi) {
            throw new IllegalArgumentException("empty interval [" + lo + ", " + hi + "]");
        }
    }

    /** The single value {@code v}. */
    public static Interval of(long v) {
        return new Interval(v, v);
    }

    /** Values of an unsigned field of {@code bytes} bytes (1 to 4); 8 gives {@link #TOP}. */
    public static Interval unsigned(int bytes) {
        return bytes >= 8 ? TOP : new Interval(0, (1L << (8 * bytes)) - 1);
    }

    /** Whether this is one value. */
    public boolean isConstant() {
        return lo == hi;
    }

    /** Whether {@code v} lies inside. */
    public boolean contains(long v) {
        return lo <= v && v <= hi;
    }

    /** Whether {@code other} lies inside. */
    public boolean contains(Interval other) {
        return lo <= other.lo && other.hi <= hi;
    }

    /** Whether all values are non-negative (so unsigned and signed order agree). */
    public boolean nonNegative() {
        return lo >= 0;
    }

    /** Number of values, saturating at {@link Long#MAX_VALUE}. */
    public long width() {
        long w = hi - lo;
        return w < 0 ? Long.MAX_VALUE : w == Long.MAX_VALUE ? w : w + 1;
    }

    /** The smallest interval holding both. */
    public Interval join(Interval o) {
        return new Interval(Math.min(lo, o.lo), Math.max(hi, o.hi));
    }

    /** The intersection, or null when empty. */
    public Interval meet(Interval o) {
        long l = Math.max(lo, o.lo), h = Math.min(hi, o.hi);
        return l > h ? null : new Interval(l, h);
    }

    /** Standard interval widening: an end that moved goes to infinity. */
    public Interval widen(Interval newer) {
        return new Interval(newer.lo < lo ? Long.MIN_VALUE : lo, newer.hi > hi ? Long.MAX_VALUE : hi);
    }

    /** {@code this + o}; an unbounded end stays unbounded, a finite overflow gives TOP. */
    public Interval add(Interval o) {
        try {
            long l = lo == Long.MIN_VALUE || o.lo == Long.MIN_VALUE ? Long.MIN_VALUE
                    : o.lo == Long.MAX_VALUE ? Long.MAX_VALUE : Math.addExact(lo, o.lo);
            long h = hi == Long.MAX_VALUE || o.hi == Long.MAX_VALUE ? Long.MAX_VALUE
                    : o.hi == Long.MIN_VALUE ? Long.MIN_VALUE : Math.addExact(hi, o.hi);
            return l <= h ? new Interval(l, h) : TOP;
        } catch (ArithmeticException e) {
            return TOP;
        }
    }

    /** {@code this - o}; an unbounded end stays unbounded, a finite overflow gives TOP. */
    public Interval sub(Interval o) {
        return add(o.negate());
    }

    /** {@code -this}, the infinities swapped. */
    public Interval negate() {
        long l = hi == Long.MAX_VALUE ? Long.MIN_VALUE : hi == Long.MIN_VALUE ? Long.MAX_VALUE : -hi;
        long h = lo == Long.MIN_VALUE ? Long.MAX_VALUE : -lo;
        return new Interval(l, h);
    }

    /** {@code this * o}, or TOP on possible overflow. */
    public Interval mul(Interval o) {
        try {
            long a = Math.multiplyExact(lo, o.lo), b = Math.multiplyExact(lo, o.hi);
            long c = Math.multiplyExact(hi, o.lo), d = Math.multiplyExact(hi, o.hi);
            return new Interval(Math.min(Math.min(a, b), Math.min(c, d)), Math.max(Math.max(a, b), Math.max(c, d)));
        } catch (ArithmeticException e) {
            return TOP;
        }
    }

    /** {@code this & o}: for a non-negative operand the result lies in {@code [0, that operand's hi]}. */
    public Interval and(Interval o) {
        if (isConstant() && o.isConstant()) {
            return of(lo & o.lo);
        }
        if (o.nonNegative() && nonNegative()) {
            return new Interval(0, Math.min(hi, o.hi));
        }
        if (o.nonNegative()) {
            return new Interval(0, o.hi);
        }
        if (nonNegative()) {
            return new Interval(0, hi);
        }
        return TOP;
    }

    /** {@code this << o} for a constant shift that cannot overflow, else TOP. */
    public Interval shiftLeft(Interval o) {
        if (!o.isConstant() || o.lo < 0 || o.lo > 63 || !nonNegative()) {
            return TOP;
        }
        long s = o.lo;
        if (hi > (Long.MAX_VALUE >> s)) {
            return TOP;
        }
        return new Interval(lo << s, hi << s);
    }

    /** Logical {@code this >> o} for a constant shift. */
    public Interval shiftRight(Interval o) {
        if (!o.isConstant() || o.lo < 0 || o.lo > 63) {
            return TOP;
        }
        if (nonNegative()) {
            return new Interval(lo >>> o.lo, hi >>> o.lo);
        }
        return o.lo == 0 ? this : new Interval(0, -1L >>> o.lo);
    }

    /** The values this may take once truncated to 32 bits and zero-extended. */
    public Interval low32() {
        if (lo >= 0 && hi <= 0xffffffffL) {
            return this;
        }
        if (isConstant()) {
            return of(lo & 0xffffffffL);
        }
        return new Interval(0, 0xffffffffL);
    }

    @Override
    public String toString() {
        if (isConstant()) {
            return Long.toString(lo);
        }
        return "[" + (lo == Long.MIN_VALUE ? "-inf" : lo) + ", " + (hi == Long.MAX_VALUE ? "+inf" : hi) + "]";
    }
}
