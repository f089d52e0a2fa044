package io.bpfstore.analysis.domain;

import io.bpfstore.analysis.cfg.Block;
import io.bpfstore.analysis.domain.Value.Ctx;
import io.bpfstore.analysis.domain.Value.MapRef;
import io.bpfstore.analysis.domain.Value.MapValue;
import io.bpfstore.analysis.domain.Value.Packet;
import io.bpfstore.analysis.domain.Value.PacketEnd;
import io.bpfstore.analysis.domain.Value.Scalar;
import io.bpfstore.analysis.domain.Value.Stack;
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
import io.bpfstore.bytecode.asm.Load;
import io.bpfstore.bytecode.asm.LoadAbsolute;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.LoadIndirect;
import io.bpfstore.bytecode.asm.LoadSigned;
import io.bpfstore.bytecode.asm.MovSx;
import io.bpfstore.bytecode.asm.Neg;
import io.bpfstore.bytecode.asm.Store;
import io.bpfstore.bytecode.asm.StoreImm;
import io.bpfstore.bytecode.asm.SwapKind;
import io.bpfstore.bytecode.asm.Width;
import io.bpfstore.bytecode.object.Function;
import io.bpfstore.bytecode.object.Relocation;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The transfer function of {@link RegionDomain} for one instruction: ALU on intervals and packet-byte lanes,
 * pointer arithmetic, loads (context fields, packet bytes, stack cells), stores and atomics (stack cells, packet
 * writes), 64-bit immediates (maps, global data). Helper calls go to {@link HelperSemantics}.
 */
final class InstructionTransfer {
    private final ProgramContext context;
    private final HelperSemantics helpers;

    InstructionTransfer(ProgramContext context) {
        this.context = context;
        this.helpers = new HelperSemantics(context);
    }

    Optional<RegionState> transfer(RegionState s, Block block, InstructionAt at) {
        MutableState m = new MutableState(s);
        apply(m, block, at);
        return Optional.of(m.freeze());
    }

    /**
     * The state after every instruction of {@code block}: one copy of the state changed in place, instead of a copy
     * per instruction (the copies were most of the analysis time).
     */
    Optional<RegionState> transferBlock(RegionState s, Block block) {
        MutableState m = new MutableState(s);
        for (InstructionAt at : block.instructions()) {
            apply(m, block, at);
        }
        return Optional.of(m.freeze());
    }

    private void apply(MutableState m, Block block, InstructionAt at) {
        Site site = Site.of(block, at);
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
            case CallHelper c -> helpers.call(m, c.helper(), site);
            case CallKfunc c -> {
                m.effects = m.effects.withCall(site);
                m.clobber(Unknown.INSTANCE);
            }
            case CallRegister c -> {
                m.effects = m.effects.withCall(site);
                m.clobber(Unknown.INSTANCE);
                m.clearStacks();
            }
            case LoadImm64 l -> m.set(l.dst().number(), loadImm64(block.function(), at.slot(), l));
            case LoadAbsolute l -> {
                Scalar v = new Scalar(Interval.unsigned(l.size().bytes()),
                        Optional.of(Lanes.loadBigEndian(l.imm(), l.size().bytes(), true)), -1L, OptionalInt.empty());
                m.clobber(v);
            }
            case LoadIndirect l -> {
                Value base = m.get(l.src().number());
                Value v = base instanceof Scalar sc && sc.isConstant() && sc.range().lo() + l.imm() >= 0
                        && sc.range().lo() + l.imm() < 65536
                        ? new Scalar(Interval.unsigned(l.size().bytes()), Optional.of(Lanes.loadBigEndian(
                                (int) (sc.range().lo() + l.imm()), l.size().bytes(), true)), -1L, OptionalInt.empty())
                        : Scalar.of(Interval.unsigned(l.size().bytes()));
                m.clobber(v);
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

    private Value load(MutableState m, Value base, int offset, int size) {
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

    private void store(MutableState m, Site site, Value base, int offset, int size, Value v) {
        switch (base) {
            case Stack st when st.offset().isConstant() ->
                    m.writeStack(st.frame(), (int) (st.offset().lo() + offset), size, narrow(v, size));
            case Stack st -> m.clearStack(st.frame());
            case Packet p -> m.effects = m.effects.withWrite(
                    new Effects.PacketWrite(site, p.offset().add(Interval.of(offset)), size));
            case Ctx c -> m.effects = m.effects.withCtxWrite(new Effects.CtxWrite(site,
                    c.offset().isConstant() ? (int) c.offset().lo() + offset : -1, size));
            case MapValue mv -> m.effects = m.effects.withMapWrite(site);
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

    private void atomic(MutableState m, Site site, Atomic a) {
        Value base = m.get(a.dst().number());
        int size = a.size().bytes();
        switch (base) {
            case Packet p -> m.effects = m.effects.withWrite(
                    new Effects.PacketWrite(site, p.offset().add(Interval.of(a.offset())), size));
            case Stack st when st.offset().isConstant() -> m.writeStack(st.frame(),
                    (int) (st.offset().lo() + a.offset()), size, Scalar.of(Interval.unsigned(size)));
            case Stack st -> m.clearStack(st.frame());
            case MapValue mv -> m.effects = m.effects.withMapWrite(site);
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
}
