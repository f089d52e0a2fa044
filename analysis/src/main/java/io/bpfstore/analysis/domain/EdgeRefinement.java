package io.bpfstore.analysis.domain;

import io.bpfstore.analysis.cfg.Block;
import io.bpfstore.analysis.cfg.Edge;
import io.bpfstore.analysis.domain.Value.MapValue;
import io.bpfstore.analysis.domain.Value.Packet;
import io.bpfstore.analysis.domain.Value.PacketEnd;
import io.bpfstore.analysis.domain.Value.Scalar;
import io.bpfstore.analysis.domain.Value.Stack;
import io.bpfstore.analysis.domain.Value.Uninit;
import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.asm.JumpImm;
import io.bpfstore.bytecode.asm.JumpReg;
import io.bpfstore.bytecode.asm.Width;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The edge function of {@link RegionDomain}: bpf-to-bpf calls push and pop frames, opaque calls clobber, and
 * conditional jumps refine both edges. A comparison of packet bytes with a constant becomes an {@link
 * Atom.FieldTest}, the NULL check of a lookup keyed by packet bytes an {@link Atom.MapTest}, a failed bounds check
 * an {@link Atom.ShortPacket}, a context field test an {@link Atom.CtxTest}; anything else an {@link Atom.Opaque}
 * jump. Contradicting facts make an edge infeasible.
 */
final class EdgeRefinement {
    private EdgeRefinement() {
    }

    static Optional<RegionState> refine(RegionState s, Block from, Edge edge) {
        return switch (edge.kind()) {
            case FALLTHROUGH, GOTO -> Optional.of(s);
            case CALL -> {
                List<Value> regs = new ArrayList<>();
                for (int i = 0; i < 11; i++) {
                    regs.add(i >= 1 && i <= 5 ? s.register(i) : Uninit.INSTANCE);
                }
                regs.set(10, new Stack(s.frames().size(), Interval.of(0)));
                List<Frame> frames = new ArrayList<>(s.frames());
                frames.add(new Frame(regs, new TreeMap<>()));
                yield Optional.of(new RegionState(frames, s.path(), s.coarsened(), s.effects()));
            }
            case RETURN -> {
                if (s.frames().size() < 2) {
                    yield Optional.empty();
                }
                List<Frame> frames = new ArrayList<>(s.frames().subList(0, s.frames().size() - 1));
                Frame caller = frames.getLast();
                List<Value> regs = new ArrayList<>(caller.registers());
                regs.set(0, s.r0());
                for (int r = 1; r <= 5; r++) {
                    regs.set(r, Uninit.INSTANCE);
                }
                frames.set(frames.size() - 1, new Frame(regs, caller.stack()));
                // pointers into the popped frame are dangling: forget them
                MutableState m = new MutableState(new RegionState(frames, s.path(), s.coarsened(), s.effects()));
                m.forgetFrame(s.frames().size() - 1);
                yield Optional.of(m.freeze());
            }
            case OPAQUE_CALL -> {
                MutableState m = new MutableState(s);
                m.clobber(Scalar.ANY);
                m.clearStacks();
                yield Optional.of(m.freeze());
            }
            case TAKEN, NOT_TAKEN -> branch(s, from, edge);
        };
    }

    private static Optional<RegionState> branch(RegionState s, Block from, Edge edge) {
        InstructionAt at = edge.branch().orElseThrow();
        boolean taken = edge.kind() == io.bpfstore.analysis.cfg.EdgeKind.TAKEN;
        Width w;
        JumpCondition c;
        int dst;
        int src;
        Value a;
        Value b;
        switch (at.instruction()) {
            case JumpImm j -> {
                w = j.width();
                c = j.condition();
                dst = j.dst().number();
                src = -1;
                a = s.register(dst);
                b = Scalar.constant(w == Width.W32 ? j.imm() & 0xffffffffL : j.imm());
            }
            case JumpReg j -> {
                w = j.width();
                c = j.condition();
                dst = j.dst().number();
                src = j.src().number();
                a = s.register(dst);
                b = s.register(src);
            }
            default -> {
                return Optional.of(s);
            }
        }
        if (!taken) {
            c = Conditions.negate(c);
            if (c == null) {
                return Optional.of(s);
            }
        }
        Site site = Site.of(from, at);
        MutableState m = new MutableState(s);
        // put the register side on the left
        if (a instanceof Scalar sa && sa.isConstant() && !(b instanceof Scalar sb && sb.isConstant())) {
            Value t = a;
            a = b;
            b = t;
            int r = dst;
            dst = src;
            src = r;
            c = Conditions.swap(c);
        }
        if (b instanceof Packet && (a instanceof PacketEnd)) {
            Value t = a;
            a = b;
            b = t;
            c = Conditions.swap(c);
        }
        if (w == Width.W64 && a instanceof Packet p && b instanceof PacketEnd) {
            switch (c) {
                case GT, SGT -> m.addAtom(new Atom.ShortPacket(clampLength(p.offset().lo())));
                case GE, SGE -> m.addAtom(new Atom.ShortPacket(clampLength(p.offset().lo() + 1)));
                default -> { }
            }
            return m.freezeOrEmpty();
        }
        if (a instanceof MapValue mv && b instanceof Scalar k && k.isConstant() && k.range().lo() == 0
                && (c == JumpCondition.EQ || c == JumpCondition.NE)) {
            boolean isNull = c == JumpCondition.EQ;
            if (!mv.maybeNull()) {
                return isNull ? Optional.empty() : Optional.of(s);
            }
            m.replaceAll(mv, isNull ? Scalar.constant(0) : new MapValue(mv.map(), mv.offset(), false, mv.lookup()));
            if (mv.lookup().isPresent() && mv.lookup().get().keyFromPacket()) {
                MapLookup l = mv.lookup().get();
                m.addAtom(new Atom.MapTest(l.map(), l.key(), !isNull));
            } else {
                m.opaque(site, taken);
            }
            return m.freezeOrEmpty();
        }
        if (a instanceof Scalar sa && b instanceof Scalar sb && sb.isConstant()) {
            Interval range = sa.range();
            long k = sb.range().lo();
            if (w == Width.W32) {
                if (!(range.nonNegative() && range.hi() <= 0x7fffffffL && (k & 0xffffffffL) <= 0x7fffffffL)) {
                    m.opaque(site, taken);
                    return m.freezeOrEmpty();
                }
                k = k & 0xffffffffL;
            }
            Interval refined = Conditions.refine(range, c, k);
            if (refined == null) {
                return Optional.empty();
            }
            JumpCondition opposite = Conditions.negate(c);
            boolean decided = opposite != null && Conditions.refine(range, opposite, k) == null;
            if (!decided) {
                if (sa.lanes().isPresent()) {
                    FieldTests.Result test = FieldTests.of(sa.lanes().get(), sa.mask(), c, k, w == Width.W32 ? 4 : 8);
                    switch (test) {
                        case FieldTests.Result.Never n -> {
                            return Optional.empty();
                        }
                        case FieldTests.Result.Always al -> { }
                        case FieldTests.Result.Opaque o -> m.opaque(site, taken);
                        case FieldTests.Result.Test t -> {
                            if (RegionLattice.isValidityCheck(t.atom())) {
                                m.effects = m.effects.withOpaque(site);
                            }
                            m.addAtom(t.atom());
                        }
                    }
                } else if (sa.ctxField().isPresent() && c != JumpCondition.SET) {
                    m.addAtom(new Atom.CtxTest(sa.ctxField().getAsInt(), c, k));
                } else {
                    m.opaque(site, taken);
                }
            }
            if (dst >= 0 && c != JumpCondition.SET) {
                m.set(dst, new Scalar(refined, refined.isConstant() && sa.lanes().isEmpty() ? Optional.empty()
                        : sa.lanes(), sa.mask(), sa.ctxField()));
            }
            return m.freezeOrEmpty();
        }
        m.opaque(site, taken);
        return m.freezeOrEmpty();
    }

    private static int clampLength(long v) {
        return (int) Math.max(0, Math.min(v, 0x10000));
    }
}
