package io.bpfstore.analysis.domain;

import io.bpfstore.analysis.domain.Frame.Cell;
import io.bpfstore.analysis.domain.Value.Ctx;
import io.bpfstore.analysis.domain.Value.MapValue;
import io.bpfstore.analysis.domain.Value.Packet;
import io.bpfstore.analysis.domain.Value.Scalar;
import io.bpfstore.analysis.domain.Value.Stack;
import io.bpfstore.analysis.domain.Value.Uninit;
import io.bpfstore.analysis.domain.Value.Unknown;
import io.bpfstore.bytecode.asm.JumpCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The lattice of {@link RegionState}s: the entry state, join and widening (value by value, paths cut to their
 * common prefix), the order, and the partition operations (uniting sibling field tests, weakening a path by dropping
 * its less telling facts) that {@link io.bpfstore.analysis.interp.PartitionedDomain} asks of {@link RegionDomain}.
 */
final class RegionLattice {
    private RegionLattice() {
    }

    static RegionState entry() {
        List<Value> regs = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            regs.add(Uninit.INSTANCE);
        }
        regs.set(1, new Ctx(Interval.of(0)));
        regs.set(10, new Stack(0, Interval.of(0)));
        return new RegionState(List.of(new Frame(regs, new TreeMap<>())), List.of(), false, Effects.NONE);
    }

    static RegionState join(RegionState a, RegionState b) {
        return combine(a, b, false);
    }

    static RegionState widen(RegionState older, RegionState newer) {
        return combine(older, newer, true);
    }

    private static RegionState combine(RegionState a, RegionState b, boolean widen) {
        if (a == b || a.equals(b)) {
            return a;
        }
        if (a.frames().size() != b.frames().size()) {
            throw new IllegalStateException("joining states of different call depth");
        }
        List<Frame> frames = new ArrayList<>();
        for (int f = 0; f < a.frames().size(); f++) {
            Frame fa = a.frames().get(f), fb = b.frames().get(f);
            List<Value> regs = new ArrayList<>(11);
            for (int r = 0; r < 11; r++) {
                regs.add(joinValue(fa.registers().get(r), fb.registers().get(r), widen));
            }
            TreeMap<Integer, Cell> stack = new TreeMap<>();
            fa.stack().forEach((off, ca) -> {
                Cell cb = fb.stack().get(off);
                if (cb != null && cb.size() == ca.size()) {
                    stack.put(off, new Cell(ca.size(), joinValue(ca.value(), cb.value(), widen)));
                }
            });
            frames.add(new Frame(regs, stack));
        }
        int common = 0;
        while (common < a.path().size() && common < b.path().size()
                && a.path().get(common).equals(b.path().get(common))) {
            common++;
        }
        boolean cut = common != a.path().size() || common != b.path().size();
        return new RegionState(frames, a.path().subList(0, common), a.coarsened() || b.coarsened() || cut,
                a.effects().join(b.effects()));
    }

    static Value joinValue(Value a, Value b, boolean widen) {
        if (a.equals(b)) {
            return a;
        }
        return switch (a) {
            case Scalar sa when b instanceof Scalar sb -> new Scalar(
                    widen ? sa.range().widen(sb.range()) : sa.range().join(sb.range()),
                    sa.lanes().equals(sb.lanes()) && sa.mask() == sb.mask() ? sa.lanes() : Optional.empty(),
                    sa.lanes().equals(sb.lanes()) && sa.mask() == sb.mask() ? sa.mask() : -1L,
                    sa.ctxField().equals(sb.ctxField()) ? sa.ctxField() : OptionalInt.empty());
            case Packet pa when b instanceof Packet pb ->
                    new Packet(widen ? pa.offset().widen(pb.offset()) : pa.offset().join(pb.offset()));
            case Ctx ca when b instanceof Ctx cb ->
                    new Ctx(widen ? ca.offset().widen(cb.offset()) : ca.offset().join(cb.offset()));
            case Stack sa when b instanceof Stack sb && sa.frame() == sb.frame() ->
                    new Stack(sa.frame(), widen ? sa.offset().widen(sb.offset()) : sa.offset().join(sb.offset()));
            case MapValue ma when b instanceof MapValue mb && ma.map().equals(mb.map()) -> new MapValue(ma.map(),
                    widen ? ma.offset().widen(mb.offset()) : ma.offset().join(mb.offset()),
                    ma.maybeNull() || mb.maybeNull(), ma.lookup().equals(mb.lookup()) ? ma.lookup() : Optional.empty());
            default -> Unknown.INSTANCE;
        };
    }

    static boolean leq(RegionState a, RegionState b) {
        if (a.equals(b)) {
            return true;
        }
        if (!a.path().equals(b.path()) && !(b.coarsened() && isPrefix(b.path(), a.path()))) {
            return false;
        }
        if (a.coarsened() && !b.coarsened() || !a.effects().leq(b.effects())
                || a.frames().size() != b.frames().size()) {
            return false;
        }
        for (int f = 0; f < a.frames().size(); f++) {
            Frame fa = a.frames().get(f), fb = b.frames().get(f);
            for (int r = 0; r < 11; r++) {
                if (!leqValue(fa.registers().get(r), fb.registers().get(r))) {
                    return false;
                }
            }
            for (Map.Entry<Integer, Cell> e : fb.stack().entrySet()) {
                Cell ca = fa.stack().get(e.getKey());
                if (ca == null || ca.size() != e.getValue().size() || !leqValue(ca.value(), e.getValue().value())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isPrefix(List<Atom> prefix, List<Atom> list) {
        return prefix.size() <= list.size() && list.subList(0, prefix.size()).equals(prefix);
    }

    static boolean leqValue(Value a, Value b) {
        if (a.equals(b) || b instanceof Unknown) {
            return true;
        }
        return switch (a) {
            case Scalar sa when b instanceof Scalar sb -> sb.range().contains(sa.range())
                    && (sb.lanes().isEmpty() || sb.lanes().equals(sa.lanes()) && sb.mask() == sa.mask())
                    && (sb.ctxField().isEmpty() || sb.ctxField().equals(sa.ctxField()));
            case Packet pa when b instanceof Packet pb -> pb.offset().contains(pa.offset());
            case Ctx ca when b instanceof Ctx cb -> cb.offset().contains(ca.offset());
            case Stack sa when b instanceof Stack sb -> sa.frame() == sb.frame() && sb.offset().contains(sa.offset());
            case MapValue ma when b instanceof MapValue mb -> ma.map().equals(mb.map())
                    && mb.offset().contains(ma.offset()) && (!ma.maybeNull() || mb.maybeNull())
                    && (mb.lookup().isEmpty() || mb.lookup().equals(ma.lookup()));
            default -> false;
        };
    }

    static List<Atom> key(RegionState state) {
        return state.path();
    }

    static Optional<RegionState> unite(RegionState a, RegionState b) {
        int n = a.path().size();
        if (n == 0 || b.path().size() != n || !a.path().subList(0, n - 1).equals(b.path().subList(0, n - 1))
                || a.frames().size() != b.frames().size()) {
            return Optional.empty();
        }
        Optional<Atom> united = FieldTests.unite(a.path().get(n - 1), b.path().get(n - 1));
        if (united.isEmpty()) {
            return Optional.empty();
        }
        RegionState joined = combine(a, b, false);
        List<Atom> path = new ArrayList<>(a.path().subList(0, n - 1));
        path.add(united.get());
        return Optional.of(new RegionState(joined.frames(), path, a.coarsened() || b.coarsened(), joined.effects()));
    }

    static int weakenLevels() {
        return 3;
    }

    /**
     * Level 1 drops jumps on other data (they are not traffic facts: nothing is lost but precision of the
     * verdict), level 2 also failed bounds checks and order tests (switch lowering), level 3 also tests at
     * variable offsets (beyond IPv6 extension headers). Levels 2 and 3 mark the state coarsened.
     */
    static RegionState weaken(RegionState state, int level) {
        boolean drops = false;
        for (Atom a : state.path()) {
            if (weight(a) <= level) {
                drops = true;
                break;
            }
        }
        if (!drops) {
            return state;
        }
        List<Atom> kept = new ArrayList<>(state.path().size());
        boolean lost = false;
        for (Atom a : state.path()) {
            int w = weight(a);
            if (w > level) {
                kept.add(a);
            } else if (w > 1) {
                lost = true;
            }
        }
        return new RegionState(state.frames(), kept, state.coarsened() || lost, state.effects());
    }

    /**
     * An order test of a masked byte, such as the IPv4 header-length nibble against 5 words: a validity check of
     * a header rather than a choice of traffic. It is dropped first when partitions must merge, like a jump on
     * other data, and its jump is recorded among the opaque branches so a verdict set it causes names it.
     */
    static boolean isValidityCheck(Atom a) {
        return a instanceof Atom.FieldTest t && t.size() == 1 && t.mask() != 0xff
                && t.condition() != JumpCondition.EQ && t.condition() != JumpCondition.NE;
    }

    /** The weakening level at which a fact is dropped (higher: kept longer). */
    private static int weight(Atom a) {
        return switch (a) {
            case Atom.Opaque o -> 1;
            case Atom.FieldTest t when isValidityCheck(t) -> 1;
            case Atom.ShortPacket s -> 2;
            case Atom.FieldTest t when t.condition() != JumpCondition.EQ && t.condition() != JumpCondition.NE -> 2;
            case Atom.FieldTest t when !t.exactOffset() -> 3;
            default -> Integer.MAX_VALUE;
        };
    }

    static RegionState truncate(RegionState state, int length) {
        return new RegionState(state.frames(), state.path().subList(0, Math.min(length, state.path().size())), true,
                state.effects());
    }
}
