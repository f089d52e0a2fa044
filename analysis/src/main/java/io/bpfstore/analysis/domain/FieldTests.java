package io.bpfstore.analysis.domain;

import io.bpfstore.bytecode.asm.JumpCondition;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a comparison of a packet-derived scalar with a constant into an {@link Atom.FieldTest} on packet bytes,
 * and says how two facts relate (one contradicts or implies the other).
 */
final class FieldTests {
    private FieldTests() {
    }

    /** What a comparison says about the packet. */
    sealed interface Result {
        /** It can never hold (the constant bytes of the value differ from the constant). */
        record Never() implements Result {
        }

        /** It always holds. */
        record Always() implements Result {
        }

        /** It cannot be put as a test of packet bytes (unknown bytes take part, an order over scattered bytes). */
        record Opaque() implements Result {
        }

        /** @param atom the test */
        record Test(Atom.FieldTest atom) implements Result {
        }
    }

    /** How an established fact bears on a new one. */
    enum Relation {
        /** Both cannot hold. */
        CONTRADICTS,
        /** The new one adds nothing. */
        IMPLIED,
        /** Nothing known. */
        INDEPENDENT
    }

    /**
     * The packet test equivalent to {@code value c k}, where value is the masked assembly of {@code lanes}
     * compared on its lowest {@code bytes} bytes.
     */
    static Result of(Lanes lanes, long mask, JumpCondition c, long k, int bytes) {
        if (c == JumpCondition.SET) {
            return new Result.Opaque();
        }
        int sh = lanes.bitShift();
        if (sh > 0) {
            // value = field << sh: compare the field with the constant scaled down, rounding the right way
            if (k < 0) {
                return new Result.Opaque();
            }
            long low = k & ((1L << sh) - 1);
            switch (c) {
                case EQ, NE -> {
                    if (low != 0) {
                        return c == JumpCondition.EQ ? new Result.Never() : new Result.Always();
                    }
                    k >>>= sh;
                }
                case GT, SGT, LE, SLE -> k >>>= sh;
                default -> k = (k >>> sh) + (low != 0 ? 1 : 0);
            }
        }
        TreeMap<Integer, long[]> packet = new TreeMap<>(); // offset -> {mask byte, constant byte}
        boolean constantsDiffer = false;
        for (int i = 0; i < bytes; i++) {
            int lane = lanes.lane(i);
            int mb = (int) (mask >>> (8 * i)) & 0xff;
            int kb = (int) (k >>> (8 * i)) & 0xff;
            if (Lanes.isConstant(lane)) {
                if ((Lanes.constantValue(lane) & mb) != (kb & mb)) {
                    constantsDiffer = true;
                }
            } else if (Lanes.isPacket(lane)) {
                if (packet.containsKey(lane)) {
                    return new Result.Opaque();
                }
                packet.put(lane, new long[] {mb, kb & mb, i});
            } else if (mb != 0) {
                return new Result.Opaque();
            }
        }
        if (bytes < 8 && (k >>> (8 * bytes)) != 0 && (c == JumpCondition.EQ || c == JumpCondition.NE)) {
            constantsDiffer = true;
        }
        if (c == JumpCondition.EQ || c == JumpCondition.NE) {
            if (constantsDiffer) {
                return c == JumpCondition.EQ ? new Result.Never() : new Result.Always();
            }
            if (packet.isEmpty()) {
                return new Result.Opaque();
            }
            int first = packet.firstKey(), last = packet.lastKey();
            int size = last - first + 1;
            if (size != packet.size() || size > 8) {
                return new Result.Opaque();
            }
            long m = 0, v = 0;
            for (var e : packet.entrySet()) {
                int shift = 8 * (last - e.getKey());
                m |= e.getValue()[0] << shift;
                v |= e.getValue()[1] << shift;
            }
            if (m == 0) {
                return new Result.Opaque();
            }
            return new Result.Test(new Atom.FieldTest(first, size, m, c, v, lanes.exactOffsets()));
        }
        // an order: the value must be a big-endian field in the low lanes, unmasked, zero above
        if (packet.isEmpty()) {
            return new Result.Opaque();
        }
        int first = packet.firstKey(), size = packet.size();
        if (size == 1 && Lanes.isPacket(lanes.lane(0)) && (mask & 0xff) != 0xff) {
            // one masked byte (a header-length nibble): the order of the masked value
            for (int i = 1; i < bytes; i++) {
                if (lanes.lane(i) != Lanes.constant(0) && ((mask >>> (8 * i)) & 0xff) != 0) {
                    return new Result.Opaque();
                }
            }
            return new Result.Test(new Atom.FieldTest(first, 1, mask & 0xff, c, k, lanes.exactOffsets()));
        }
        for (int i = 0; i < 8; i++) {
            int lane = lanes.lane(i);
            int mb = (int) (mask >>> (8 * i)) & 0xff;
            if (i < size) {
                if (lane != first + size - 1 - i || mb != 0xff) {
                    return new Result.Opaque();
                }
            } else if (i < bytes && lane != Lanes.constant(0)) {
                return new Result.Opaque();
            }
        }
        long full = size == 8 ? -1L : (1L << (8 * size)) - 1;
        return new Result.Test(new Atom.FieldTest(first, size, full, c, k, lanes.exactOffsets()));
    }

    /** One fact saying exactly what {@code a} or {@code b} says, for equality tests of one field. */
    static Optional<Atom> unite(Atom a, Atom b) {
        Atom.FieldIn x = asIn(a), y = asIn(b);
        if (x == null || y == null || x.offset() != y.offset() || x.size() != y.size() || x.mask() != y.mask()
                || x.exactOffset() != y.exactOffset()) {
            return Optional.empty();
        }
        java.util.TreeSet<Long> values = new java.util.TreeSet<>(x.values());
        values.addAll(y.values());
        return Optional.of(new Atom.FieldIn(x.offset(), x.size(), x.mask(), values, x.exactOffset()));
    }

    private static Atom.FieldIn asIn(Atom a) {
        return switch (a) {
            case Atom.FieldIn in -> in;
            case Atom.FieldTest t when t.condition() == JumpCondition.EQ -> new Atom.FieldIn(t.offset(), t.size(),
                    t.mask(), new java.util.TreeSet<>(java.util.List.of(t.value())), t.exactOffset());
            default -> null;
        };
    }

    /** How {@code old} bears on {@code now}. */
    static Relation relation(Atom old, Atom now) {
        if (old.equals(now)) {
            return Relation.IMPLIED;
        }
        if (old instanceof Atom.MapTest a && now instanceof Atom.MapTest b && a.map().equals(b.map())
                && a.key().equals(b.key())) {
            return a.hit() == b.hit() ? Relation.IMPLIED : Relation.CONTRADICTS;
        }
        if (old instanceof Atom.CtxTest a && now instanceof Atom.CtxTest b && a.offset() == b.offset()) {
            if (a.condition() == JumpCondition.EQ) {
                return holds(b.condition(), a.value(), b.value()) ? Relation.IMPLIED : Relation.CONTRADICTS;
            }
            if (b.condition() == JumpCondition.EQ && !holds(a.condition(), b.value(), a.value())) {
                return Relation.CONTRADICTS;
            }
            return Relation.INDEPENDENT;
        }
        if (old instanceof Atom.FieldIn a && now instanceof Atom.FieldTest b && a.offset() == b.offset()
                && a.size() == b.size() && a.mask() == b.mask() && a.exactOffset() == b.exactOffset()
                && b.condition() == JumpCondition.EQ && !a.values().contains(b.value())) {
            return Relation.CONTRADICTS;
        }
        if (old instanceof Atom.FieldTest a && now instanceof Atom.FieldTest b && a.offset() == b.offset()
                && a.exactOffset() == b.exactOffset()) {
            if (a.size() == b.size() && a.mask() == b.mask()) {
                if (a.condition() == JumpCondition.EQ) {
                    return holds(b.condition(), a.value(), b.value()) ? Relation.IMPLIED : Relation.CONTRADICTS;
                }
                if (b.condition() == JumpCondition.EQ && !holds(a.condition(), b.value(), a.value())) {
                    return Relation.CONTRADICTS;
                }
            }
        }
        return Relation.INDEPENDENT;
    }

    /** Whether {@code x c k} holds for the numbers (non-negative fields, so signed and unsigned agree). */
    static boolean holds(JumpCondition c, long x, long k) {
        return switch (c) {
            case EQ -> x == k;
            case NE -> x != k;
            case GT -> Long.compareUnsigned(x, k) > 0;
            case GE -> Long.compareUnsigned(x, k) >= 0;
            case LT -> Long.compareUnsigned(x, k) < 0;
            case LE -> Long.compareUnsigned(x, k) <= 0;
            case SGT -> x > k;
            case SGE -> x >= k;
            case SLT -> x < k;
            case SLE -> x <= k;
            case SET -> (x & k) != 0;
        };
    }
}
