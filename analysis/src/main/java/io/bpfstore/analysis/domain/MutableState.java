package io.bpfstore.analysis.domain;

import io.bpfstore.analysis.domain.Frame.Cell;
import io.bpfstore.analysis.domain.Value.Packet;
import io.bpfstore.analysis.domain.Value.PacketEnd;
import io.bpfstore.analysis.domain.Value.Scalar;
import io.bpfstore.analysis.domain.Value.Stack;
import io.bpfstore.analysis.domain.Value.Uninit;
import io.bpfstore.analysis.domain.Value.Unknown;
import io.bpfstore.bytecode.asm.JumpCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A state being changed by one transfer. Registers are copied up front (eleven references); a frame's stack only when
 * it is first written, and frames that did not change are kept as they were: copying every stack at every step was
 * most of the analysis time.
 */
final class MutableState {
    private final List<Frame> original;
    final List<List<Value>> regs = new ArrayList<>();
    /** Per frame, the stack being changed, or null while it is the original frame's. */
    private final List<TreeMap<Integer, Cell>> stacks = new ArrayList<>();
    List<Atom> path;
    boolean coarsened;
    Effects effects;
    boolean infeasible;

    MutableState(RegionState s) {
        original = s.frames();
        for (Frame f : original) {
            regs.add(new ArrayList<>(f.registers()));
            stacks.add(null);
        }
        path = s.path();
        coarsened = s.coarsened();
        effects = s.effects();
    }

    /** Frame {@code frame}'s stack, for reading. */
    @SuppressWarnings("unchecked")
    private NavigableMap<Integer, Cell> readable(int frame) {
        TreeMap<Integer, Cell> own = stacks.get(frame);
        return own != null ? own : (NavigableMap<Integer, Cell>) original.get(frame).stack();
    }

    /** Frame {@code frame}'s stack, copied on first write. */
    private TreeMap<Integer, Cell> writable(int frame) {
        TreeMap<Integer, Cell> own = stacks.get(frame);
        if (own == null) {
            own = new TreeMap<>(original.get(frame).stack());
            stacks.set(frame, own);
        }
        return own;
    }

    /** Replaces cells of every frame's stack as {@code change} says, copying only stacks where a cell changes. */
    private void replaceCells(java.util.function.UnaryOperator<Cell> change) {
        for (int f = 0; f < stacks.size(); f++) {
            boolean changes = false;
            for (Cell c : readable(f).values()) {
                if (change.apply(c) != c) {
                    changes = true;
                    break;
                }
            }
            if (changes) {
                writable(f).replaceAll((k, c) -> change.apply(c));
            }
        }
    }

    Value get(int r) {
        return regs.getLast().get(r);
    }

    void set(int r, Value v) {
        if (r == 10) {
            return; // the frame pointer is read-only; the kernel refuses such programs anyway
        }
        regs.getLast().set(r, v);
    }

    RegionState freeze() {
        List<Frame> frames = new ArrayList<>(regs.size());
        for (int i = 0; i < regs.size(); i++) {
            Frame before = original.get(i);
            if (stacks.get(i) == null && regs.get(i).equals(before.registers())) {
                frames.add(before);
            } else {
                frames.add(new Frame(regs.get(i), stacks.get(i) != null ? stacks.get(i) : before.stack()));
            }
        }
        return new RegionState(frames, path, coarsened, effects);
    }

    Optional<RegionState> freezeOrEmpty() {
        return infeasible ? Optional.empty() : Optional.of(freeze());
    }

    /** Records a jump on non-packet data: an effect (for reports) and a key fact (to keep the paths apart). */
    void opaque(Site site, boolean taken) {
        effects = effects.withOpaque(site);
        addAtom(new Atom.Opaque(site.function(), site.slot(), taken));
    }

    /** Adds a fact, unless implied; marks the state infeasible when it contradicts a known fact. */
    void addAtom(Atom atom) {
        for (Atom old : path) {
            switch (FieldTests.relation(old, atom)) {
                case CONTRADICTS -> {
                    infeasible = true;
                    return;
                }
                case IMPLIED -> {
                    return;
                }
                case INDEPENDENT -> { }
            }
        }
        if (!(atom instanceof Atom.FieldTest t0 && t0.condition() == JumpCondition.EQ
                || atom instanceof Atom.CtxTest c0 && c0.condition() == JumpCondition.EQ)) {
            path = AtomPath.with(path, atom); // nothing to drop: extend, keeping the hashes made
            return;
        }
        List<Atom> p = new ArrayList<>(path);
        if (atom instanceof Atom.FieldTest t && t.condition() == JumpCondition.EQ) {
            // an equality makes earlier tests of the same field redundant: drop them so equal paths meet
            p.removeIf(old -> old instanceof Atom.FieldTest o && o.offset() == t.offset() && o.size() == t.size()
                    && o.mask() == t.mask() && o.exactOffset() == t.exactOffset()
                    || old instanceof Atom.FieldIn i && i.offset() == t.offset() && i.size() == t.size()
                    && i.mask() == t.mask() && i.exactOffset() == t.exactOffset());
        }
        if (atom instanceof Atom.CtxTest t && t.condition() == JumpCondition.EQ) {
            p.removeIf(old -> old instanceof Atom.CtxTest o && o.offset() == t.offset());
        }
        p.add(atom);
        path = p;
    }

    void replaceAll(Value old, Value now) {
        for (List<Value> frame : regs) {
            frame.replaceAll(v -> v.equals(old) ? now : v);
        }
        replaceCells(c -> c.value().equals(old) ? new Cell(c.size(), now) : c);
    }

    void invalidatePacket() {
        for (List<Value> frame : regs) {
            frame.replaceAll(v -> v instanceof Packet || v instanceof PacketEnd ? Unknown.INSTANCE : v);
        }
        replaceCells(c -> c.value() instanceof Packet || c.value() instanceof PacketEnd
                ? new Cell(c.size(), Unknown.INSTANCE) : c);
    }

    void forgetFrame(int frame) {
        for (List<Value> f : regs) {
            f.replaceAll(v -> v instanceof Stack st && st.frame() >= frame ? Unknown.INSTANCE : v);
        }
        replaceCells(c -> c.value() instanceof Stack s && s.frame() >= frame
                ? new Cell(c.size(), Unknown.INSTANCE) : c);
    }

    void clearStack(int frame) {
        if (frame >= 0 && frame < stacks.size() && !readable(frame).isEmpty()) {
            stacks.set(frame, new TreeMap<>());
        }
    }

    void clearStacks() {
        for (int f = 0; f < stacks.size(); f++) {
            clearStack(f);
        }
    }

    /** Forgets cells overlapping {@code [offset, offset + length)}. */
    void forget(int frame, int offset, int length) {
        if (frame < 0 || frame >= stacks.size()) {
            return;
        }
        SortedMap<Integer, Cell> near = readable(frame).subMap(offset - 8, true, offset + Math.max(length, 1), false);
        List<Integer> drop = new ArrayList<>();
        near.forEach((off, cell) -> {
            if (off + cell.size() > offset && off < offset + Math.max(length, 1)) {
                drop.add(off);
            }
        });
        if (!drop.isEmpty()) {
            drop.forEach(writable(frame)::remove);
        }
    }

    void writeStack(int frame, int offset, int size, Value v) {
        if (frame < 0 || frame >= stacks.size()) {
            return;
        }
        forget(frame, offset, size);
        if (offset < -512 || offset + size > 0) {
            return;
        }
        writable(frame).put(offset, new Cell(size, v));
    }

    Value readStack(int frame, int offset, int size) {
        if (frame < 0 || frame >= stacks.size()) {
            return Unknown.INSTANCE;
        }
        Cell exact = readable(frame).get(offset);
        if (exact != null && exact.size() == size) {
            return exact.value();
        }
        List<Integer> bytes = readBytes(frame, offset, size);
        int[] lanes = new int[8];
        for (int i = 0; i < 8; i++) {
            int byteIndex = LITTLE_ENDIAN_STACK ? i : size - 1 - i;
            lanes[i] = i < size ? bytes.get(byteIndex) : Lanes.constant(0);
        }
        Lanes l = Lanes.of(lanes, true);
        if (l.allConstant()) {
            return Scalar.constant(l.constantValue());
        }
        if (l.hasPacket()) {
            return new Scalar(Interval.unsigned(size), Optional.of(l), -1L, OptionalInt.empty());
        }
        return size == 8 ? Unknown.INSTANCE : Scalar.of(Interval.unsigned(size));
    }

    /** Lane codes of the bytes {@code [offset, offset + size)} of a frame's stack, in memory order. */
    List<Integer> readBytes(int frame, int offset, int size) {
        List<Integer> out = new ArrayList<>(size);
        NavigableMap<Integer, Cell> st = frame >= 0 && frame < stacks.size() ? readable(frame) : new TreeMap<>();
        for (int i = 0; i < size; i++) {
            int addr = offset + i;
            Map.Entry<Integer, Cell> e = st.floorEntry(addr);
            int lane = Lanes.UNKNOWN;
            if (e != null && e.getKey() + e.getValue().size() > addr && e.getValue().value() instanceof Scalar sc) {
                int within = addr - e.getKey();
                int significance = LITTLE_ENDIAN_STACK ? within : e.getValue().size() - 1 - within;
                Lanes lanes = sc.lanes().filter(l -> l.bitShift() == 0)
                        .orElse(sc.isConstant() ? Lanes.ofConstant(sc.range().lo()) : null);
                if (lanes != null) {
                    int code = lanes.lane(significance);
                    int maskByte = (int) (sc.mask() >>> (8 * significance)) & 0xff;
                    lane = Lanes.isPacket(code) && maskByte != 0xff ? Lanes.UNKNOWN : code;
                }
            }
            out.add(lane);
        }
        return out;
    }

    /** Stack bytes are assembled little-endian; big-endian targets are rare enough to be read the same way. */
    private static final boolean LITTLE_ENDIAN_STACK = true;

    /** A call's effect on the caller-saved registers: r0 gets {@code r0}, r1-r5 are no longer initialised. */
    void clobber(Value r0) {
        set(0, r0);
        for (int r = 1; r <= 5; r++) {
            set(r, Value.Uninit.INSTANCE);
        }
    }
}
