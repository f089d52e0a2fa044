package io.bpfstore.analysis.domain;

import io.bpfstore.analysis.cfg.Block;
import io.bpfstore.analysis.cfg.Edge;
import io.bpfstore.analysis.interp.AbstractDomain;
import io.bpfstore.analysis.interp.Partitionable;
import io.bpfstore.analysis.domain.Frame.Cell;
import io.bpfstore.analysis.domain.Value.Ctx;
import io.bpfstore.analysis.domain.Value.MapRef;
import io.bpfstore.analysis.domain.Value.MapValue;
import io.bpfstore.analysis.domain.Value.Packet;
import io.bpfstore.analysis.domain.Value.PacketEnd;
import io.bpfstore.analysis.domain.Value.Scalar;
import io.bpfstore.analysis.domain.Value.Stack;
import io.bpfstore.analysis.domain.Value.Uninit;
import io.bpfstore.analysis.domain.Value.Unknown;
import io.bpfstore.bytecode.asm.AddrSpaceCast;
import io.bpfstore.bytecode.asm.AluImm;
import io.bpfstore.bytecode.asm.AluOp;
import io.bpfstore.bytecode.asm.AluReg;
import io.bpfstore.bytecode.asm.Atomic;
import io.bpfstore.bytecode.asm.AtomicOp;
import io.bpfstore.bytecode.asm.Branch;
import io.bpfstore.bytecode.asm.ByteSwap;
import io.bpfstore.bytecode.asm.CallHelper;
import io.bpfstore.bytecode.asm.CallKfunc;
import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.asm.CallRegister;
import io.bpfstore.bytecode.asm.Exit;
import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.asm.JumpImm;
import io.bpfstore.bytecode.asm.JumpReg;
import io.bpfstore.bytecode.asm.Load;
import io.bpfstore.bytecode.asm.LoadAbsolute;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.LoadIndirect;
import io.bpfstore.bytecode.asm.LoadSigned;
import io.bpfstore.bytecode.asm.MovSx;
import io.bpfstore.bytecode.asm.Neg;
import io.bpfstore.bytecode.asm.Pseudo;
import io.bpfstore.bytecode.asm.Store;
import io.bpfstore.bytecode.asm.StoreImm;
import io.bpfstore.bytecode.asm.SwapKind;
import io.bpfstore.bytecode.asm.Width;
import io.bpfstore.bytecode.helpers.Helper;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import io.bpfstore.bytecode.helpers.ReturnKind;
import io.bpfstore.bytecode.object.Function;
import io.bpfstore.bytecode.object.Relocation;
import io.bpfstore.bytecode.sections.ProgramType;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The region domain: per register and stack cell a {@link Value} (context, packet pointer with an offset
 * interval, packet end, map, map value, stack pointer, or scalar with an interval and its packet-byte provenance),
 * bpf-to-bpf frames, and the path's facts about its traffic. Conditional jumps refine both edges: a comparison of
 * a value loaded from packet bytes with a constant becomes an {@link Atom.FieldTest}, the NULL check of a lookup
 * keyed by packet bytes an {@link Atom.MapTest}, a failed bounds check an {@link Atom.ShortPacket}; contradicting
 * facts make an edge infeasible.
 *
 * <p>It also implements {@link Partitionable} with the path's facts as key, for {@link
 * io.bpfstore.analysis.interp.PartitionedDomain}.
 */
public final class RegionDomain implements AbstractDomain<RegionState>, Partitionable<RegionState, Atom> {
    private static final HelperCatalog HELPERS = HelperCatalog.bundled();
    private static final int MAP_LOOKUP = 1;
    private static final int SKB_STORE_BYTES = 9;
    private static final int TAIL_CALL = 12;
    private static final int SKB_LOAD_BYTES = 26;

    private final ProgramContext context;

    /** @param context what the domain must know of the program besides its code */
    public RegionDomain(ProgramContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    // ---------------------------------------------------------------------------------------------- lattice

    @Override
    public RegionState entry() {
        List<Value> regs = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            regs.add(Uninit.INSTANCE);
        }
        regs.set(1, new Ctx(Interval.of(0)));
        regs.set(10, new Stack(0, Interval.of(0)));
        return new RegionState(List.of(new Frame(regs, new TreeMap<>())), List.of(), false, Effects.NONE);
    }

    @Override
    public RegionState join(RegionState a, RegionState b) {
        return combine(a, b, false);
    }

    @Override
    public RegionState widen(RegionState older, RegionState newer) {
        return combine(older, newer, true);
    }

    private RegionState combine(RegionState a, RegionState b, boolean widen) {
        if (a.equals(b)) {
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

    @Override
    public boolean leq(RegionState a, RegionState b) {
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

    @Override
    public List<Atom> key(RegionState state) {
        return state.path();
    }

    @Override
    public Optional<RegionState> unite(RegionState a, RegionState b) {
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

    @Override
    public int weakenLevels() {
        return 3;
    }

    /**
     * Level 1 drops jumps on other data (they are not traffic facts: nothing is lost but precision of the
     * verdict), level 2 also failed bounds checks and order tests (switch lowering), level 3 also tests at
     * variable offsets (beyond IPv6 extension headers). Levels 2 and 3 mark the state coarsened.
     */
    @Override
    public RegionState weaken(RegionState state, int level) {
        List<Atom> kept = state.path().stream().filter(a -> weight(a) > level).toList();
        if (kept.size() == state.path().size()) {
            return state;
        }
        boolean lost = state.path().stream().anyMatch(a -> weight(a) > 1 && weight(a) <= level);
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

    @Override
    public RegionState truncate(RegionState state, int length) {
        return new RegionState(state.frames(), state.path().subList(0, Math.min(length, state.path().size())), true,
                state.effects());
    }

    // ------------------------------------------------------------------------------------------- transfer

    @Override
    public Optional<RegionState> transfer(RegionState s, Block block, InstructionAt at) {
        Mutable m = new Mutable(s);
        Site site = site(block, at);
        switch (at.instruction()) {
            case AluImm a -> m.set(a.dst().number(), alu(a.width(), a.op(), m.get(a.dst().number()),
                    Scalar.constant(a.width() == Width.W32 && a.op() == AluOp.MOV ? a.imm() & 0xffffffffL
                            : (long) a.imm())));
            case AluReg a -> m.set(a.dst().number(), alu(a.width(), a.op(), m.get(a.dst().number()),
                    m.get(a.src().number())));
            case Neg n -> m.set(n.dst().number(), m.get(n.dst().number()) instanceof Scalar sc
                    ? width(n.width(), Scalar.of(Interval.of(0).sub(sc.range()))) : Scalar.ANY);
            case MovSx x -> m.set(x.dst().number(), movsx(x, m.get(x.src().number())));
            case AddrSpaceCast c -> m.set(c.dst().number(), Unknown.INSTANCE);
            case ByteSwap b -> m.set(b.dst().number(), byteSwap(b, m.get(b.dst().number())));
            case Branch b -> { }
            case Exit e -> { }
            case CallLocal c -> { }
            case CallHelper c -> helper(m, c.helper(), site);
            case CallKfunc c -> {
                m.effects = m.effects.withCall(site);
                clobber(m, Unknown.INSTANCE);
            }
            case CallRegister c -> {
                m.effects = m.effects.withCall(site);
                clobber(m, Unknown.INSTANCE);
                m.clearStacks();
            }
            case LoadImm64 l -> m.set(l.dst().number(), loadImm64(block.function(), at.slot(), l));
            case LoadAbsolute l -> {
                Scalar v = new Scalar(Interval.unsigned(l.size().bytes()),
                        Optional.of(Lanes.loadBigEndian(l.imm(), l.size().bytes(), true)), -1L, OptionalInt.empty());
                clobber(m, v);
            }
            case LoadIndirect l -> {
                Value base = m.get(l.src().number());
                Value v = base instanceof Scalar sc && sc.isConstant() && sc.range().lo() + l.imm() >= 0
                        && sc.range().lo() + l.imm() < 65536
                        ? new Scalar(Interval.unsigned(l.size().bytes()), Optional.of(Lanes.loadBigEndian(
                                (int) (sc.range().lo() + l.imm()), l.size().bytes(), true)), -1L, OptionalInt.empty())
                        : Scalar.of(Interval.unsigned(l.size().bytes()));
                clobber(m, v);
            }
            case Load l -> m.set(l.dst().number(), load(m, m.get(l.src().number()), l.offset(), l.size().bytes()));
            case LoadSigned l -> {
                int bits = 8 * l.size().bytes();
                m.set(l.dst().number(), Scalar.of(new Interval(-(1L << (bits - 1)), (1L << (bits - 1)) - 1)));
            }
            case Store st -> store(m, site, m.get(st.dst().number()), st.offset(), st.size().bytes(),
                    m.get(st.src().number()));
            case StoreImm st -> store(m, site, m.get(st.dst().number()), st.offset(), st.size().bytes(),
                    Scalar.constant(st.imm()));
            case Atomic a -> atomic(m, site, a);
        }
        return Optional.of(m.freeze());
    }

    /** The site of {@code at} in {@code block}, for evidence. */
    public static Site site(Block block, InstructionAt at) {
        Function f = block.function();
        return new Site(f.name(), f.section(), f.offset() / 8 + at.slot(), at.slot(), at.instruction());
    }

    private static Value width(Width w, Scalar v) {
        if (w == Width.W64) {
            return v;
        }
        return new Scalar(v.range().low32(), v.lanes().map(l -> l.truncate(4)), v.mask() & 0xffffffffL,
                OptionalInt.empty());
    }

    private Value alu(Width w, AluOp op, Value dst, Value src) {
        if (op == AluOp.MOV) {
            if (w == Width.W64) {
                return src;
            }
            return src instanceof Scalar sc ? width(w, sc) : Scalar.of(Interval.unsigned(4));
        }
        if (w == Width.W64 && (op == AluOp.ADD || op == AluOp.SUB)) {
            Value p = pointerArithmetic(op, dst, src);
            if (p != null) {
                return p;
            }
        }
        if (!(dst instanceof Scalar a) || !(src instanceof Scalar b)) {
            return w == Width.W32 ? Scalar.of(Interval.unsigned(4)) : Scalar.ANY;
        }
        Interval x = w == Width.W32 ? a.range().low32() : a.range();
        Interval y = w == Width.W32 ? b.range().low32() : b.range();
        Optional<Lanes> lanes = Optional.empty();
        long mask = -1L;
        Interval r;
        switch (op) {
            case ADD -> r = x.add(y);
            case SUB -> r = x.sub(y);
            case MUL -> r = x.mul(y);
            case DIV -> r = y.isConstant() && y.lo() > 0 && x.nonNegative()
                    ? new Interval(x.lo() / y.lo(), x.hi() / y.lo()) : x.nonNegative() ? new Interval(0, x.hi())
                    : Interval.TOP;
            case MOD -> r = y.isConstant() && y.lo() > 0 && x.nonNegative()
                    ? (x.hi() < y.lo() ? x : new Interval(0, y.lo() - 1)) : Interval.TOP;
            case OR -> {
                r = x.isConstant() && y.isConstant() ? Interval.of(x.lo() | y.lo())
                        : x.nonNegative() && y.nonNegative() ? new Interval(Math.max(x.lo(), y.lo()),
                        ones(Math.max(x.hi(), y.hi()))) : Interval.TOP;
                Lanes la = lanesOf(a), lb = lanesOf(b);
                if ((la.hasPacket() || lb.hasPacket()) && a.mask() == -1L && b.mask() == -1L
                        && la.bitShift() == 0 && lb.bitShift() == 0) {
                    lanes = Optional.of(la.or(lb));
                }
            }
            case AND -> {
                r = x.and(y);
                if (b.isConstant() && a.lanes().isPresent()) {
                    // the low bitShift bits of the value are zero: the mask applies to the unshifted field
                    long c = b.range().lo() >>> a.lanes().get().bitShift();
                    Lanes l = a.lanes().get().and(c);
                    lanes = Optional.of(l);
                    mask = a.mask() & c | ~l.nonZeroMask();
                }
            }
            case LSH -> {
                r = x.shiftLeft(y);
                if (y.isConstant() && y.lo() >= 0 && y.lo() < 64 && a.lanes().isPresent()) {
                    int bits = a.lanes().get().bitShift() + (int) (y.lo() % 8);
                    int bytes = (int) (y.lo() / 8) + bits / 8;
                    lanes = Optional.of(a.lanes().get().shiftUp(bytes).withBitShift(bits % 8));
                    mask = bytes == 0 ? a.mask() : a.mask() << (8 * bytes) | ((1L << (8 * bytes)) - 1);
                }
            }
            case RSH -> {
                r = x.shiftRight(y);
                if (y.isConstant() && y.lo() % 8 == 0 && y.lo() < 64 && a.lanes().isPresent()
                        && a.lanes().get().bitShift() == 0) {
                    int bytes = (int) (y.lo() / 8);
                    lanes = Optional.of(a.lanes().get().shiftDown(bytes));
                    mask = bytes == 0 ? a.mask() : a.mask() >>> (8 * bytes) | ~(-1L >>> (8 * bytes));
                }
            }
            case XOR -> r = x.isConstant() && y.isConstant() ? Interval.of(x.lo() ^ y.lo())
                    : x.nonNegative() && y.nonNegative() ? new Interval(0, ones(Math.max(x.hi(), y.hi())))
                    : Interval.TOP;
            case ARSH -> r = y.isConstant() && y.lo() >= 0 && y.lo() < 64
                    ? new Interval(x.lo() >> y.lo(), x.hi() >> y.lo()) : Interval.TOP;
            default -> r = Interval.TOP;
        }
        if (r.isConstant()) {
            lanes = Optional.empty();
            mask = -1L;
        }
        if (lanes.isPresent() && !lanes.get().hasPacket()) {
            lanes = Optional.empty();
            mask = -1L;
        }
        Scalar result = new Scalar(r, lanes, lanes.isPresent() ? mask : -1L, OptionalInt.empty());
        return width(w, result);
    }

    /** The lanes of a scalar: its provenance, its constant bytes, or all unknown. */
    private static Lanes lanesOf(Scalar s) {
        if (s.lanes().isPresent()) {
            return s.lanes().get();
        }
        if (s.isConstant()) {
            return Lanes.ofConstant(s.range().lo());
        }
        int[] unknown = new int[8];
        java.util.Arrays.fill(unknown, Lanes.UNKNOWN);
        return Lanes.of(unknown, true);
    }

    private static long ones(long v) {
        return v <= 0 ? 0 : v >= (1L << 62) ? Long.MAX_VALUE : (Long.highestOneBit(v) << 1) - 1;
    }

    private static Value pointerArithmetic(AluOp op, Value dst, Value src) {
        if (src instanceof Scalar k) {
            Interval d = op == AluOp.ADD ? k.range() : Interval.of(0).sub(k.range());
            return switch (dst) {
                case Packet p -> new Packet(p.offset().add(d));
                case Ctx c -> new Ctx(c.offset().add(d));
                case Stack st -> new Stack(st.frame(), st.offset().add(d));
                case MapValue mv -> new MapValue(mv.map(), mv.offset().add(d), mv.maybeNull(), mv.lookup());
                default -> null;
            };
        }
        if (op == AluOp.ADD && dst instanceof Scalar k) {
            return pointerArithmetic(op, src, k);
        }
        if (op == AluOp.SUB) {
            if (dst instanceof Packet a && src instanceof Packet b) {
                return Scalar.of(a.offset().sub(b.offset()));
            }
            if (dst instanceof PacketEnd && src instanceof Packet) {
                return Scalar.of(new Interval(0, 0xffff));
            }
            if (dst instanceof Stack a && src instanceof Stack b && a.frame() == b.frame()) {
                return Scalar.of(a.offset().sub(b.offset()));
            }
        }
        return null;
    }

    private Value movsx(MovSx x, Value src) {
        if (src instanceof Scalar sc && sc.isConstant()) {
            long v = sc.range().lo();
            long ext = switch (x.bits()) {
                case 8 -> (byte) v;
                case 16 -> (short) v;
                default -> (int) v;
            };
            return width(x.width(), Scalar.constant(ext));
        }
        long half = 1L << (x.bits() - 1);
        return width(x.width(), Scalar.of(new Interval(-half, half - 1)));
    }

    private Value byteSwap(ByteSwap b, Value v) {
        int bytes = b.bits() / 8;
        if (!(v instanceof Scalar sc)) {
            return Scalar.of(Interval.unsigned(bytes));
        }
        boolean hostLittle = context.order() == ByteOrder.LITTLE_ENDIAN;
        boolean swap = b.kind() == SwapKind.BSWAP || (b.kind() == SwapKind.BE) == hostLittle;
        if (sc.isConstant()) {
            long c = sc.range().lo();
            long r = swap ? switch (bytes) {
                case 2 -> Short.reverseBytes((short) c) & 0xffffL;
                case 4 -> Integer.reverseBytes((int) c) & 0xffffffffL;
                default -> Long.reverseBytes(c);
            } : bytes == 8 ? c : c & ((1L << (8 * bytes)) - 1);
            return Scalar.constant(r);
        }
        Optional<Lanes> lanes = sc.lanes().filter(l -> l.bitShift() == 0)
                .map(l -> swap ? l.swap(bytes) : l.truncate(bytes));
        long mask = -1L;
        if (sc.lanes().isPresent() && sc.mask() != -1L) {
            long m = sc.mask();
            mask = swap ? switch (bytes) {
                case 2 -> Short.reverseBytes((short) m) & 0xffffL;
                case 4 -> Integer.reverseBytes((int) m) & 0xffffffffL;
                default -> Long.reverseBytes(m);
            } : m;
            mask |= bytes == 8 ? 0 : -1L << (8 * bytes);
        }
        return new Scalar(Interval.unsigned(bytes), lanes, mask, OptionalInt.empty());
    }

    private Value load(Mutable m, Value base, int offset, int size) {
        switch (base) {
            case Ctx c when c.offset().isConstant() -> {
                long field = c.offset().lo() + offset;
                if (context.dataOffset().isPresent() && field == context.dataOffset().getAsInt()) {
                    return new Packet(Interval.of(0));
                }
                if (context.dataEndOffset().isPresent() && field == context.dataEndOffset().getAsInt()) {
                    return PacketEnd.INSTANCE;
                }
                if (size == 8) {
                    return Unknown.INSTANCE;
                }
                return new Scalar(Interval.unsigned(size), Optional.empty(), -1L, OptionalInt.of((int) field));
            }
            case Packet p -> {
                Interval at = p.offset().add(Interval.of(offset));
                if (at.lo() < 0 || at.lo() > 0xffff) {
                    return Scalar.of(Interval.unsigned(size));
                }
                Lanes lanes = context.order() == ByteOrder.LITTLE_ENDIAN
                        ? Lanes.load((int) at.lo(), size, at.isConstant())
                        : Lanes.loadBigEndian((int) at.lo(), size, at.isConstant());
                return new Scalar(Interval.unsigned(size), Optional.of(lanes), -1L, OptionalInt.empty());
            }
            case Stack st when st.offset().isConstant() -> {
                return m.readStack(st.frame(), (int) (st.offset().lo() + offset), size);
            }
            default -> {
                return size == 8 ? Unknown.INSTANCE : Scalar.of(Interval.unsigned(size));
            }
        }
    }

    private void store(Mutable m, Site site, Value base, int offset, int size, Value v) {
        switch (base) {
            case Stack st when st.offset().isConstant() ->
                    m.writeStack(st.frame(), (int) (st.offset().lo() + offset), size, narrow(v, size));
            case Stack st -> m.clearStack(st.frame());
            case Packet p -> m.effects = m.effects.withWrite(
                    new Effects.PacketWrite(site, p.offset().add(Interval.of(offset)), size));
            case Ctx c -> m.effects = m.effects.withCtxWrite(site);
            default -> { }
        }
    }

    private static Value narrow(Value v, int size) {
        if (size == 8) {
            return v;
        }
        if (v instanceof Scalar sc) {
            if (sc.isConstant()) {
                return Scalar.constant(sc.range().lo() & ((1L << (8 * size)) - 1));
            }
            return new Scalar(sc.range().nonNegative() && sc.range().hi() < (1L << (8 * size)) ? sc.range()
                    : Interval.unsigned(size), sc.lanes().map(l -> l.truncate(size)),
                    sc.lanes().isPresent() ? sc.mask() | (-1L << (8 * size)) : -1L, OptionalInt.empty());
        }
        return Scalar.of(Interval.unsigned(size));
    }

    private void atomic(Mutable m, Site site, Atomic a) {
        Value base = m.get(a.dst().number());
        int size = a.size().bytes();
        switch (base) {
            case Packet p -> m.effects = m.effects.withWrite(
                    new Effects.PacketWrite(site, p.offset().add(Interval.of(a.offset())), size));
            case Stack st when st.offset().isConstant() -> m.writeStack(st.frame(),
                    (int) (st.offset().lo() + a.offset()), size, Scalar.of(Interval.unsigned(size)));
            case Stack st -> m.clearStack(st.frame());
            default -> { }
        }
        if (a.op() == AtomicOp.CMPXCHG) {
            m.set(0, Scalar.of(Interval.unsigned(size)));
        } else if (a.fetch()) {
            m.set(a.src().number(), Scalar.of(Interval.unsigned(size)));
        }
    }

    private Value loadImm64(Function f, int slot, LoadImm64 l) {
        for (Relocation r : f.relocations()) {
            if (r.instruction() == slot) {
                return switch (r.kind()) {
                    case MAP -> new MapRef(r.symbol());
                    case GLOBAL_DATA -> new MapValue(globalDataMap(r.section()),
                            Interval.of(r.offset() + l.nextImm()), false, Optional.empty());
                    case SUBPROGRAM, EXTERN -> Unknown.INSTANCE;
                };
            }
        }
        return switch (l.pseudo()) {
            case NONE -> Scalar.constant(l.value());
            case MAP_FD, MAP_IDX -> new MapRef("fd " + l.imm());
            case MAP_VALUE, MAP_IDX_VALUE -> new MapValue("fd " + l.imm(), Interval.of(l.nextImm()), false,
                    Optional.empty());
            default -> Unknown.INSTANCE;
        };
    }

    /** libbpf's internal map for a global-data section, by its section name when no map says otherwise. */
    private String globalDataMap(String section) {
        return context.maps().values().stream().filter(d -> d.section().equals(section)).map(d -> d.name())
                .findFirst().orElse(section);
    }

    private void helper(Mutable m, int id, Site site) {
        m.effects = m.effects.withCall(site);
        Optional<Helper> helper = HELPERS.byId(id);
        String name = helper.map(Helper::name).orElse("");
        if (id == MAP_LOOKUP) {
            Value map = m.get(1);
            Value key = m.get(2);
            if (map instanceof MapRef ref) {
                Optional<MapLookup> lookup = Optional.empty();
                if (key instanceof Stack st && st.offset().isConstant()) {
                    int size = context.keySize(ref.map());
                    List<Integer> bytes = m.readBytes(st.frame(), (int) st.offset().lo(), size);
                    lookup = Optional.of(new MapLookup(ref.map(), bytes, site));
                }
                clobber(m, new MapValue(ref.map(), Interval.of(0), true, lookup));
                return;
            }
            clobber(m, Unknown.INSTANCE);
            return;
        }
        if (id == SKB_STORE_BYTES && m.get(2) instanceof Scalar off && off.isConstant()
                && m.get(4) instanceof Scalar len && len.isConstant() && len.range().lo() > 0
                && len.range().lo() <= 0xffff) {
            m.effects = m.effects.withWrite(new Effects.PacketWrite(site, off.range(), (int) len.range().lo()));
        }
        if (id == SKB_LOAD_BYTES && m.get(2) instanceof Scalar off && off.isConstant() && off.range().lo() >= 0
                && off.range().lo() < 0xffff && m.get(3) instanceof Stack to && to.offset().isConstant()
                && m.get(4) instanceof Scalar len && len.isConstant() && len.range().lo() > 0
                && len.range().lo() <= 512) {
            int base = (int) to.offset().lo();
            for (int i = 0; i < len.range().lo(); i++) {
                m.writeStack(to.frame(), base + i, 1, new Scalar(Interval.unsigned(1),
                        Optional.of(Lanes.load((int) off.range().lo() + i, 1, true)), -1L, OptionalInt.empty()));
            }
        } else if (id != MAP_LOOKUP && id != 2 && id != 3 && id != TAIL_CALL && !name.endsWith("_output")) {
            // helpers that write through pointer arguments: forget what the stack held there
            for (int r = 1; r <= 5; r++) {
                if (m.get(r) instanceof Stack st) {
                    if (st.offset().isConstant() && r < 5 && m.get(r + 1) instanceof Scalar len && len.isConstant()
                            && len.range().lo() >= 0 && len.range().lo() <= 512) {
                        m.forget(st.frame(), (int) st.offset().lo(), (int) len.range().lo());
                    } else {
                        m.clearStack(st.frame());
                    }
                }
            }
        }
        if (changesPacket(name)) {
            m.invalidatePacket();
        }
        Value r0;
        if (name.equals("bpf_redirect") || name.equals("bpf_redirect_map")) {
            r0 = Scalar.of(context.type().orElse(ProgramType.UNSPEC) == ProgramType.XDP
                    ? new Interval(0, 4) : new Interval(0, 7));
        } else if (name.startsWith("bpf_msg_redirect") || name.startsWith("bpf_sk_redirect")) {
            r0 = Scalar.of(new Interval(0, 1));
        } else if (helper.isPresent() && helper.get().prototype().returnKind() == ReturnKind.INTEGER) {
            r0 = Scalar.ANY;
        } else if (helper.isPresent() && helper.get().prototype().returnKind() == ReturnKind.VOID) {
            r0 = Uninit.INSTANCE;
        } else {
            r0 = Unknown.INSTANCE;
        }
        clobber(m, r0);
    }

    /** Helpers after which the kernel invalidates every packet pointer (they may move or resize the data). */
    static boolean changesPacket(String name) {
        return name.contains("adjust_") || name.contains("_change_") || name.equals("bpf_skb_store_bytes")
                || name.contains("csum_replace") || name.startsWith("bpf_skb_vlan_") || name.equals("bpf_skb_pull_data")
                || name.startsWith("bpf_msg_pull_data") || name.startsWith("bpf_msg_push") || name.startsWith(
                "bpf_msg_pop") || name.startsWith("bpf_lwt_push") || name.startsWith("bpf_skb_ecn");
    }

    private static void clobber(Mutable m, Value r0) {
        m.set(0, r0);
        for (int r = 1; r <= 5; r++) {
            m.set(r, Uninit.INSTANCE);
        }
    }

    // ----------------------------------------------------------------------------------------------- edges

    @Override
    public Optional<RegionState> refine(RegionState s, Block from, Edge edge) {
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
                Mutable m = new Mutable(new RegionState(frames, s.path(), s.coarsened(), s.effects()));
                m.forgetFrame(s.frames().size() - 1);
                yield Optional.of(m.freeze());
            }
            case OPAQUE_CALL -> {
                Mutable m = new Mutable(s);
                clobber(m, Scalar.ANY);
                m.clearStacks();
                yield Optional.of(m.freeze());
            }
            case TAKEN, NOT_TAKEN -> branch(s, from, edge);
        };
    }

    private Optional<RegionState> branch(RegionState s, Block from, Edge edge) {
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
        Site site = site(from, at);
        Mutable m = new Mutable(s);
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
                            if (isValidityCheck(t.atom())) {
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

    // ------------------------------------------------------------------------------------ mutable helper

    /** A state being changed by one transfer: copies frames on first write. */
    private static final class Mutable {
        final List<List<Value>> regs = new ArrayList<>();
        final List<TreeMap<Integer, Cell>> stacks = new ArrayList<>();
        List<Atom> path;
        boolean coarsened;
        Effects effects;
        boolean infeasible;

        Mutable(RegionState s) {
            for (Frame f : s.frames()) {
                regs.add(new ArrayList<>(f.registers()));
                stacks.add(new TreeMap<>(f.stack()));
            }
            path = s.path();
            coarsened = s.coarsened();
            effects = s.effects();
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
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < regs.size(); i++) {
                frames.add(new Frame(regs.get(i), stacks.get(i)));
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
            for (TreeMap<Integer, Cell> st : stacks) {
                st.replaceAll((k, c) -> c.value().equals(old) ? new Cell(c.size(), now) : c);
            }
        }

        void invalidatePacket() {
            for (List<Value> frame : regs) {
                frame.replaceAll(v -> v instanceof Packet || v instanceof PacketEnd ? Unknown.INSTANCE : v);
            }
            for (TreeMap<Integer, Cell> st : stacks) {
                st.replaceAll((k, c) -> c.value() instanceof Packet || c.value() instanceof PacketEnd
                        ? new Cell(c.size(), Unknown.INSTANCE) : c);
            }
        }

        void forgetFrame(int frame) {
            for (List<Value> f : regs) {
                f.replaceAll(v -> v instanceof Stack st && st.frame() >= frame ? Unknown.INSTANCE : v);
            }
            for (TreeMap<Integer, Cell> st : stacks) {
                st.replaceAll((k, c) -> c.value() instanceof Stack s && s.frame() >= frame
                        ? new Cell(c.size(), Unknown.INSTANCE) : c);
            }
        }

        void clearStack(int frame) {
            if (frame >= 0 && frame < stacks.size()) {
                stacks.get(frame).clear();
            }
        }

        void clearStacks() {
            stacks.forEach(TreeMap::clear);
        }

        /** Forgets cells overlapping {@code [offset, offset + length)}. */
        void forget(int frame, int offset, int length) {
            if (frame < 0 || frame >= stacks.size()) {
                return;
            }
            TreeMap<Integer, Cell> st = stacks.get(frame);
            SortedMap<Integer, Cell> near = st.subMap(offset - 8, true, offset + Math.max(length, 1), false);
            List<Integer> drop = new ArrayList<>();
            near.forEach((off, cell) -> {
                if (off + cell.size() > offset && off < offset + Math.max(length, 1)) {
                    drop.add(off);
                }
            });
            drop.forEach(st::remove);
        }

        void writeStack(int frame, int offset, int size, Value v) {
            if (frame < 0 || frame >= stacks.size()) {
                return;
            }
            forget(frame, offset, size);
            if (offset < -512 || offset + size > 0) {
                return;
            }
            stacks.get(frame).put(offset, new Cell(size, v));
        }

        Value readStack(int frame, int offset, int size) {
            if (frame < 0 || frame >= stacks.size()) {
                return Unknown.INSTANCE;
            }
            Cell exact = stacks.get(frame).get(offset);
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
            TreeMap<Integer, Cell> st = frame >= 0 && frame < stacks.size() ? stacks.get(frame) : new TreeMap<>();
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
    }
}
